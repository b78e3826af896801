import { ratio } from 'fuzzball';

/** Where a phrase was found in a text. */
export interface PhraseHit {
  phrase: string;
  start: number;
  end: number;
  /** The text that matched (differs from the phrase for fuzzy hits). */
  matched: string;
  /** Fuzzy similarity 0..100; 100 for exact hits. */
  similarity: number;
}

export interface PhraseMatcherOptions {
  wholeWord: boolean;
  caseSensitive: boolean;
  /** Fuzzy threshold 0..100, or undefined for exact matching. */
  fuzzyThreshold: number | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds one phrase in texts: exact (one compiled regex) or fuzzy (word windows). */
export class PhraseMatcher {
  private readonly pattern: RegExp;
  private readonly wordCount: number;
  private readonly normalized: string;

  constructor(
    readonly phrase: string,
    private readonly options: PhraseMatcherOptions,
  ) {
    const body = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
    const wrapped = options.wholeWord ? `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])` : body;
    this.pattern = new RegExp(wrapped, options.caseSensitive ? 'gu' : 'giu');
    this.wordCount = phrase.trim().split(/\s+/).length;
    this.normalized = options.caseSensitive ? phrase : phrase.toLowerCase();
  }

  /** Every hit in the text, in order. */
  find(text: string): PhraseHit[] {
    const hits: PhraseHit[] = [];
    this.pattern.lastIndex = 0;
    for (let match = this.pattern.exec(text); match; match = this.pattern.exec(text)) {
      hits.push({
        phrase: this.phrase,
        start: match.index,
        end: match.index + match[0].length,
        matched: match[0],
        similarity: 100,
      });
    }
    if (hits.length > 0 || this.options.fuzzyThreshold === undefined) return hits;
    return this.findFuzzy(text, this.options.fuzzyThreshold);
  }

  /**
   * Fuzzy hits: every window of the phrase's word count (and one word shorter or longer) is
   * scored, then the best windows above the threshold are kept, none overlapping another.
   */
  private findFuzzy(text: string, threshold: number): PhraseHit[] {
    const words = [...text.matchAll(/\S+/g)];
    const candidates: (PhraseHit & { first: number; last: number })[] = [];
    for (let index = 0; index < words.length; index += 1) {
      for (const size of [this.wordCount, this.wordCount - 1, this.wordCount + 1]) {
        if (size < 1 || index + size > words.length) continue;
        const last = words[index + size - 1]!;
        const start = words[index]!.index!;
        const end = last.index! + last[0].length;
        const window = text.slice(start, end).replace(/[^\p{L}\p{N}\s']/gu, '');
        const similarity = ratio(
          this.normalized,
          this.options.caseSensitive ? window : window.toLowerCase(),
        );
        if (similarity >= threshold) {
          candidates.push({
            phrase: this.phrase,
            start,
            end,
            matched: text.slice(start, end),
            similarity,
            first: index,
            last: index + size - 1,
          });
        }
      }
    }
    candidates.sort(
      (left, right) => right.similarity - left.similarity || left.start - right.start,
    );
    const taken = new Uint8Array(words.length);
    const hits: PhraseHit[] = [];
    for (const { first, last, ...hit } of candidates) {
      if (taken.subarray(first, last + 1).some(Boolean)) continue;
      taken.fill(1, first, last + 1);
      hits.push(hit);
    }
    return hits.sort((left, right) => left.start - right.start);
  }
}

/** The negation word within `window` words before `start`, if any. */
export function negationBefore(
  text: string,
  start: number,
  window: number,
  words: ReadonlySet<string>,
): string | undefined {
  const before = text
    .slice(Math.max(0, start - 200), start)
    .toLowerCase()
    .split(/[^\p{L}\p{N}'_]+/u)
    .filter(Boolean);
  return before.slice(-window).find((word) => words.has(word));
}
