import type { PhraseHit, PhraseIndex } from '@plexus/core';

/**
 * Exact hits of every phrase in an item's segments, found once per segment by the score's
 * `PhraseIndex` (one pass however many phrases) when a phrase first asks for them.
 */
export class SegmentHits {
  private readonly found: Map<number, PhraseHit[]>[] = [];
  /** Phrases with a hit in any segment, sorted; made once every segment has been read. */
  private withHits: number[] | undefined;

  constructor(private readonly index: PhraseIndex) {}

  of(at: number, text: string, phrase: number): readonly PhraseHit[] {
    let hits = this.found[at];
    if (!hits) {
      hits = this.index.hits(text);
      this.found[at] = hits;
    }
    return hits.get(phrase) ?? [];
  }

  /**
   * The first phrase from `from` on with a hit in a segment read so far, or `count`. Called once
   * every segment has been read, it skips exactly the phrases found nowhere.
   */
  nextWithHits(from: number, count: number): number {
    if (!this.withHits) {
      const phrases = new Set<number>();
      for (const hits of this.found)
        if (hits) for (const phrase of hits.keys()) phrases.add(phrase);
      this.withHits = [...phrases].sort((left, right) => left - right);
    }
    const list = this.withHits;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle]! < from) low = middle + 1;
      else high = middle;
    }
    return low < list.length ? list[low]! : count;
  }
}
