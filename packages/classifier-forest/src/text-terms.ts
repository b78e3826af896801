/** How text becomes terms: word n-grams and optional character n-grams within words. */
export interface TermOptions {
  /** Smallest and largest word n-gram; `[1, 2]` is words and word pairs. */
  wordNgrams: readonly [number, number];
  /** Character n-grams inside word boundaries (padded with a space), or null for none. */
  charNgrams: readonly [number, number] | null;
  lowercase: boolean;
}

// Like scikit-learn's default token pattern `\b\w\w+\b`: runs of two or more word characters.
const wordPattern = /[\p{L}\p{N}\p{M}_]{2,}/gu;

/**
 * A character beyond Latin-1: a text without any (a one-byte string, as most texts are) is in
 * Unicode NFC as it is, and the test costs nothing on it; others are normalized (0.5 us a
 * 600-character text).
 */
const beyondLatin1 = /[\u0100-\uffff]/;

/**
 * Words of a text, as scikit-learn's default tokenizer finds them, in Unicode NFC: `café` with a
 * combining accent (a Mac, a PDF, an ASR system) was the term `cafe\u0301`, which a vocabulary
 * learnt from `café` lacks.
 */
export function words(text: string, lowercase: boolean): string[] {
  const composed = beyondLatin1.test(text) ? text.normalize('NFC') : text;
  return (lowercase ? composed.toLowerCase() : composed).match(wordPattern) ?? [];
}

/** Calls `visit` for every term occurrence of a text (a term repeats as often as it occurs). */
export function forEachTerm(
  text: string,
  options: TermOptions,
  visit: (term: string) => void,
): void {
  const tokens = words(text, options.lowercase);
  const [low, high] = options.wordNgrams;
  for (let size = low; size <= high; size += 1) {
    for (let start = 0; start + size <= tokens.length; start += 1) {
      visit(size === 1 ? tokens[start]! : tokens.slice(start, start + size).join(' '));
    }
  }
  if (!options.charNgrams) return;
  const [charLow, charHigh] = options.charNgrams;
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let size = charLow; size <= charHigh; size += 1) {
      if (size > padded.length) break;
      for (let start = 0; start + size <= padded.length; start += 1)
        visit(`#${padded.slice(start, start + size)}`);
    }
  }
}

/** FNV-1a, 32 bits: a stable hash of a term for the hashing vocabulary. */
export function termHash(term: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < term.length; index += 1) {
    hash ^= term.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
