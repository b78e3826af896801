import type { PhraseHit, PhraseIndex } from '@plexus/core';

/**
 * Exact hits of every phrase in an item's segments, found once per segment by the score's
 * `PhraseIndex` (one pass however many phrases) when a phrase first asks for them.
 */
export class SegmentHits {
  private readonly found: Map<number, PhraseHit[]>[] = [];

  constructor(private readonly index: PhraseIndex) {}

  of(at: number, text: string, phrase: number): readonly PhraseHit[] {
    let hits = this.found[at];
    if (!hits) {
      hits = this.index.hits(text);
      this.found[at] = hits;
    }
    return hits.get(phrase) ?? [];
  }
}
