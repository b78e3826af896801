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
