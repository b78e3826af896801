import { describe, expect, it } from 'vitest';
import { isLinearPattern, maxPaths } from './linear-pattern.js';

describe('isLinearPattern', () => {
  it('accepts patterns without repetition, backreferences or lookaround', () => {
    for (const source of [
      'how (can|may|could) i (help|assist)',
      'which (card|one)',
      '(debit|credit) (card|or)',
      'balance is (?<amount>\\d)',
      '(?:^|\\b)[a-z\\]*+?]\\.$',
      '[^\\s]x|y',
      '',
    ])
      expect(isLinearPattern(source), source).toBe(true);
  });

  it('keeps the time limit for repetition, backreferences, lookaround and what it cannot read', () => {
    for (const source of [
      '(a+)+$',
      'a*',
      'ab?',
      'a{2}',
      '(a)\\1',
      '(?<x>a)\\k<x>',
      '(?=a)a',
      '(?!a)b',
      '(?<=a)b',
      '(?<!a)b',
      '\\p{L}',
      '\\u{41}',
      '[abc',
      '(a',
      'a)',
      'a\\',
    ])
      expect(isLinearPattern(source), source).toBe(false);
  });

  it('counts the ways through the alternatives, products of groups in a row', () => {
    // 4 groups of 4: 256 ways; one more alternative anywhere goes over.
    const fourByFour = '(a|b|c|d)'.repeat(4);
    expect(4 ** 4).toBe(maxPaths);
    expect(isLinearPattern(fourByFour)).toBe(true);
    expect(isLinearPattern(`${fourByFour}|e`)).toBe(false);
    expect(isLinearPattern(`${fourByFour}(x|y)`)).toBe(false);
    // Nested: (a|(b|c)) has 3 ways; 3^5 = 243 fits, 3^6 = 729 does not.
    expect(isLinearPattern('(a|(b|c))'.repeat(5))).toBe(true);
    expect(isLinearPattern('(a|(b|c))'.repeat(6))).toBe(false);
    // 256 words in one alternation fit; 257 do not.
    const words = Array.from({ length: 256 }, (_, index) => `w${index}`);
    expect(isLinearPattern(words.join('|'))).toBe(true);
    expect(isLinearPattern([...words, 'one more'].join('|'))).toBe(false);
  });
});
