/** Syllables of an English word, estimated from its vowel groups (a silent final "e" dropped). */
export function syllables(word: string): number {
  const letters = word.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length === 0) return 0;
  const groups = letters.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 0);
}

/** Flesch reading ease: 206.835 - 1.015 x words per sentence - 84.6 x syllables per word. */
export function readingEase(
  text: string,
): { score: number; words: number; sentences: number } | undefined {
  const words = text.match(/[A-Za-z][A-Za-z'-]*/g) ?? [];
  if (words.length === 0) return undefined;
  const sentences = Math.max(1, (text.match(/[.!?]+(\s|$)/g) ?? []).length);
  const total = words.reduce((sum, word) => sum + syllables(word), 0);
  const score = 206.835 - 1.015 * (words.length / sentences) - 84.6 * (total / words.length);
  return { score, words: words.length, sentences };
}
