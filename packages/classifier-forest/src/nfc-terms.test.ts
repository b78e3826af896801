import { describe, expect, it } from 'vitest';
import { forEachTerm, words } from './text-terms.js';

// A model learns `café` from texts typed with é; a text with e and a combining accent (a Mac, a PDF,
// an ASR system) gave the term `cafe\u0301`, which the vocabulary lacks: the word was lost to the
// model in silence.
describe('forest terms in either Unicode form', () => {
  const composed = 'Un café noir, s’il vous plaît'.normalize('NFC');
  const decomposed = composed.normalize('NFD');

  it('a text gives the same words whatever its form', () => {
    expect(decomposed).not.toBe(composed);
    expect(words(decomposed, true)).toEqual(words(composed, true));
    // By hand: un, café, noir, il, vous, plaît (s is one character: no term).
    expect(words(composed, true)).toEqual(['un', 'café', 'noir', 'il', 'vous', 'plaît']);
  });

  it('and the same word and character n-grams', () => {
    const terms = (text: string) => {
      const seen: string[] = [];
      forEachTerm(text, { wordNgrams: [1, 2], charNgrams: [2, 3], lowercase: true }, (term) =>
        seen.push(term),
      );
      return seen;
    };
    expect(terms(decomposed)).toEqual(terms(composed));
  });
});
