import { describe, expect, it } from 'vitest';
import { combineLabels, splitTokens } from './chunking.js';

describe('splitTokens', () => {
  it('cuts a long text into overlapping token windows that cover it all', async () => {
    const text = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    const chunks = await splitTokens(text, 100, 20);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks[0]!.startsWith('word0 ')).toBe(true);
    expect(chunks.at(-1)!.endsWith('word399')).toBe(true);
    // Each chunk starts inside the previous one (the overlap).
    for (let index = 1; index < chunks.length; index += 1)
      expect(chunks[index - 1]!).toContain(chunks[index]!.slice(0, 12).trim());
    expect(await splitTokens('short text', 100, 20)).toEqual(['short text']);
  });
});

describe('combineLabels', () => {
  it('any, all, majority and first', () => {
    const labels = ['no', 'yes', 'no', 'maybe', 'maybe'];
    expect(combineLabels(labels, 'any', 'yes')).toBe('yes');
    expect(combineLabels(labels, 'all', 'yes')).toBe('no');
    expect(combineLabels(['yes', 'yes'], 'all', 'yes')).toBe('yes');
    expect(combineLabels(labels, 'majority', 'yes')).toBe('no');
    expect(combineLabels(labels, 'first', 'yes')).toBe('no');
    expect(combineLabels(['no', 'no'], 'any', 'yes')).toBe('no');
    expect(combineLabels([], 'any', 'yes')).toBeUndefined();
  });
});
