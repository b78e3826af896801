import type { PhraseHit } from './phrase-hit.js';
import { phrasePattern } from './phrase-index.js';

export type { PhraseHit } from './phrase-hit.js';

/** Similarity of two strings, 0..100 (fuzzball's `ratio`; score packages bring fuzzball). */
export type RatioFunction = (
  left: string,
  right: string,
  options: { full_process: boolean },
) => number;

export interface PhraseMatcherOptions {
  wholeWord: boolean;
  caseSensitive: boolean;
  /** Fuzzy threshold 0..100 and the similarity function, or undefined for exact matching. */
  fuzzy: { threshold: number; ratio: RatioFunction } | undefined;
}

/**
 * Finds one phrase in texts: exact (one regex, compiled at the first exact search: a score with
 * many phrases searches them all at once with a `PhraseIndex`) or fuzzy (word windows).
 */
export class PhraseMatcher {
  private pattern: RegExp | undefined;
  private readonly wordCount: number;
  private readonly normalized: string;

  constructor(
    readonly phrase: string,
    private readonly options: PhraseMatcherOptions,
  ) {
    this.wordCount = phrase.trim().split(/\s+/).length;
    this.normalized = options.caseSensitive ? phrase : phrase.toLowerCase();
  }

  /** The next exact hit at or after `from`, or undefined. */
  nextExact(text: string, from: number): PhraseHit | undefined {
    this.pattern ??= new RegExp(
      phrasePattern(this.phrase, this.options.wholeWord),
      this.options.caseSensitive ? 'gu' : 'giu',
    );
    this.pattern.lastIndex = from;
    const match = this.pattern.exec(text);
    if (!match) return undefined;
    return {
      phrase: this.phrase,
      start: match.index,
      end: match.index + match[0].length,
      matched: match[0],
      similarity: 100,
    };
  }

  /**
   * Fuzzy hits in the text; none when fuzzy matching is off. Past `deadline` (a
   * `performance.now()` time) it throws `FuzzyTimeLimit` (a long text takes 0.5 ms a word against
   * 50 phrases: 1.25 MB of text ran past five minutes).
   */
  findFuzzy(text: string, deadline = Number.POSITIVE_INFINITY): PhraseHit[] {
    const fuzzy = this.options.fuzzy;
    return fuzzy === undefined
      ? []
      : this.fuzzyWindows(text, fuzzy.threshold, fuzzy.ratio, deadline);
  }

  /**
   * Fuzzy hits: every window of the phrase's word count (and one word shorter or longer) is
   * scored, then the best windows above the threshold are kept, none overlapping another.
   */
  private fuzzyWindows(
    text: string,
    threshold: number,
    ratio: RatioFunction,
    deadline: number,
  ): PhraseHit[] {
    const words = [...text.matchAll(/\S+/g)];
    const candidates: (PhraseHit & { first: number; last: number })[] = [];
    for (let index = 0; index < words.length; index += 1) {
      if ((index & 63) === 63 && performance.now() > deadline)
        throw new FuzzyTimeLimit(words.length);
      for (const size of [this.wordCount, this.wordCount - 1, this.wordCount + 1]) {
        if (size < 1 || index + size > words.length) continue;
        const last = words[index + size - 1]!;
        const start = words[index]!.index!;
        const end = last.index! + last[0].length;
        // The ratio is at most 2·shorter/(sum of lengths): skip windows whose length rules them out.
        const length = end - start;
        const phraseLength = this.normalized.length;
        if ((200 * Math.min(length, phraseLength)) / (length + phraseLength) < threshold) continue;
        const window = text.slice(start, end).replace(/[^\p{L}\p{N}\s']/gu, '');
        const candidate = this.options.caseSensitive ? window : window.toLowerCase();
        // The text is already lower-cased and stripped: skip fuzzball's own processing.
        const similarity = ratio(this.normalized, candidate, { full_process: false });
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

/** Thrown by `findFuzzy` past its deadline; `words`: the text's words. */
export class FuzzyTimeLimit extends Error {
  constructor(readonly words: number) {
    super(`fuzzy matching ran out of time on a text of ${words} words`);
    this.name = 'FuzzyTimeLimit';
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
