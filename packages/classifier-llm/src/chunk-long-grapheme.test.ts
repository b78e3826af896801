// A character (grapheme) longer than a chunk: a letter under many combining marks ("Zalgo" text)
// is one grapheme of many tokens. Chunks cut between whole graphemes had none that fit it: the
// window loop stood still on it, pushing empty windows until the process ran out of memory (the
// run, and every resume, never ended). Such a grapheme is cut between its code points.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';

/** A letter under `marks` x 3 combining marks: one grapheme. */
const zalgo = (marks: number) => `a${'\u0301\u0316\u0327'.repeat(marks)}`;

describe('a grapheme longer than a chunk', () => {
  it('is cut between code points; every chunk fits and the text is whole', async () => {
    const grapheme = zalgo(30);
    expect([
      ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(grapheme),
    ]).toHaveLength(1);
    expect(countTokens(grapheme)).toBeGreaterThan(20);
    const text = `${'hello world '.repeat(20)}${grapheme}${' bye'.repeat(20)}`;
    for (const overlap of [0, 5]) {
      const chunks = await splitTokens(text, 20, overlap);
      for (const chunk of chunks) expect(countTokens(chunk)).toBeLessThanOrEqual(20);
      if (overlap === 0) expect(chunks.join('')).toBe(text);
      else {
        expect(chunks[0]!.startsWith('hello')).toBe(true);
        expect(chunks.at(-1)!.endsWith('bye')).toBe(true);
      }
      // The grapheme's marks are all in some chunk, in order.
      const joined = chunks.join('');
      expect(joined).toContain('a\u0301');
      expect(joined.split('\u0327').length - 1).toBeGreaterThanOrEqual(30);
    }
  });

  it('a text that is one such grapheme alone', async () => {
    const grapheme = zalgo(60);
    const chunks = await splitTokens(grapheme, 20, 0);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(grapheme);
    for (const chunk of chunks) expect(countTokens(chunk)).toBeLessThanOrEqual(20);
  });
});
