import { describe, expect, it } from 'vitest';
import { positiveNumber, testFraction, wholeNumber } from './arguments.js';

// Number('') and Number(' ') are 0: an empty value must be refused, not read as zero.
describe('number flags given an empty value', () => {
  it('are refused, naming the flag, where 0 would be accepted', () => {
    for (const value of ['', ' ']) {
      expect(() => testFraction(value), JSON.stringify(value)).toThrow('--test-fraction');
      expect(() => wholeNumber('--seed', 0)(value)).toThrow('--seed');
      expect(() => positiveNumber('--max-usd')(value)).toThrow('--max-usd');
    }
    expect(testFraction('0')).toBe(0);
    expect(testFraction('0.25')).toBe(0.25);
    expect(wholeNumber('--seed', 0)('0')).toBe(0);
  });
});
