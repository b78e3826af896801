import { describe, expect, it } from 'vitest';
import { foldCodePoint, PhraseIndex } from './phrase-index.js';
import { type PhraseHit, PhraseMatcher } from './phrase-matcher.js';

/** A seeded generator (mulberry32): the same cases on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

// Letters whose case a regex folds in unusual ways, punctuation, digits, whitespace of all kinds
// and an astral letter with case (Deseret), so folds, word edges and offsets are all exercised.
const alphabet = [
  ...'abkKsS',
  'ſ',
  '\u212a', // Kelvin sign
  'ß',
  'ẞ',
  'İ',
  'ı',
  'i',
  'σ',
  'ς',
  'Σ',
  '\u0390',
  '\u1fd3',
  '\ufb05',
  '\ufb06',
  'é',
  'É',
  '\u{10400}',
  '\u{10428}',
  '_',
  '-',
  "'",
  '.',
  '$',
  '1',
  ' ',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '\u3000',
];

// ASCII alone: the index confirms ASCII hits without a regex.
const asciiAlphabet = alphabet.filter((character) =>
  [...character].every((unit) => unit.charCodeAt(0) < 0x80),
);

function randomText(random: () => number, length: number, letters = alphabet): string {
  let text = '';
  for (let index = 0; index < length; index += 1)
    text += letters[Math.floor(random() * letters.length)];
  return text;
}

/** Every hit of one phrase, as the keywords score asks for them: `nextExact` from each end. */
function perPhrase(matcher: PhraseMatcher, text: string): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (let from = 0; ; ) {
    const hit = matcher.nextExact(text, from);
    if (!hit) return hits;
    hits.push(hit);
    from = hit.end;
  }
}

describe('PhraseIndex', () => {
  it('finds exactly the hits of one regex per phrase, on 3,000 random texts and phrase lists', () => {
    const random = seeded(22);
    let compared = 0;
    for (let round = 0; round < 3000; round += 1) {
      const options = { wholeWord: random() < 0.5, caseSensitive: random() < 0.3 };
      const letters = round % 2 === 0 ? alphabet : asciiAlphabet;
      const text = randomText(random, Math.floor(random() * 60), letters);
      const phrases = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        // Pieces of the text itself (so hits happen) or new random ones.
        if (random() < 0.6 && text.length > 0) {
          const start = Math.floor(random() * text.length);
          return text.slice(start, start + 1 + Math.floor(random() * 6));
        }
        return randomText(random, 1 + Math.floor(random() * 4), letters);
      }).filter((phrase) => phrase.trim() !== '');
      const index = new PhraseIndex(phrases, options);
      const found = index.hits(text);
      phrases.forEach((phrase, position) => {
        const expected = perPhrase(
          new PhraseMatcher(phrase, { ...options, fuzzy: undefined }),
          text,
        );
        expect(found.get(position) ?? [], JSON.stringify({ text, phrase, options })).toEqual(
          expected,
        );
        compared += expected.length;
      });
    }
    expect(compared).toBeGreaterThan(3000); // the texts really had hits
  });

  it('folds case as an iu regex does: code points a regex takes as equal have one fold', () => {
    // Code points with case (or a fold): any two an `iu` regex takes as equal have the same fold.
    const cased: number[] = [];
    for (let code = 0x80; code <= 0x10ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      if (
        character.toUpperCase() !== character ||
        character.toLowerCase() !== character ||
        foldCodePoint(code) !== code
      )
        cased.push(code);
    }
    const texts = cased.map((code) => String.fromCodePoint(code));
    for (const [position, code] of cased.entries()) {
      const regex = new RegExp(`^\\u{${code.toString(16)}}$`, 'iu');
      for (const [other, text] of texts.entries()) {
        if (other !== position && regex.test(text))
          expect(foldCodePoint(cased[other]!), `U+${code.toString(16)} = ${text}`).toBe(
            foldCodePoint(code),
          );
      }
    }
    // Every other code point (its own fold) equals none of them, nor any ASCII letter.
    const casedSet = new Set(cased);
    const anyCased = new RegExp(`^[A-Za-z${texts.join('')}]$`, 'iu');
    for (let code = 0x80; code <= 0x10ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (casedSet.has(code)) continue;
      expect(anyCased.test(String.fromCodePoint(code)), `U+${code.toString(16)}`).toBe(false);
    }
  }, 120_000);

  it('indexes 100,000 phrases and searches a text with them in well under a second', () => {
    const random = seeded(7);
    const syllables = ['ka', 'lo', 'mi', 'ta', 'ren', 'vos', 'pel', 'dor', 'ix', 'um'];
    const word = () =>
      Array.from(
        { length: 2 + Math.floor(random() * 3) },
        () => syllables[Math.floor(random() * 10)],
      ).join('');
    const phrases = Array.from({ length: 100_000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, word).join(' '),
    );
    const started = performance.now();
    const index = new PhraseIndex(phrases, { wholeWord: true, caseSensitive: false });
    const text = `Hello, ${phrases[99_999]!.toUpperCase()} and ${phrases[5]} there`;
    const found = index.hits(text);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(found.get(99_999)?.[0]?.matched).toBe(phrases[99_999]!.toUpperCase());
    expect(found.get(5)?.[0]?.matched).toBe(phrases[5]);
  });
});
