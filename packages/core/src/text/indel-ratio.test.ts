import { describe, expect, it } from 'vitest';
import { seededRandom } from '../dataset/sampling.js';
import { commonLength, indelRatio } from './indel-ratio.js';

/** The textbook recurrence, written out on its own: the longest common subsequence. */
function handCommon(left: string, right: string): number {
  const table = Array.from({ length: left.length + 1 }, () =>
    new Array<number>(right.length + 1).fill(0),
  );
  for (let row = 1; row <= left.length; row += 1)
    for (let column = 1; column <= right.length; column += 1)
      table[row]![column] =
        left[row - 1] === right[column - 1]
          ? table[row - 1]![column - 1]! + 1
          : Math.max(table[row - 1]![column]!, table[row]![column - 1]!);
  return table[left.length]![right.length]!;
}

const alphabet = ['a', 'b', 'c', ' ', "'", 'é', '😀', 'n', 'k'];

function text(next: () => number, length: number): string {
  let result = '';
  while (result.length < length) result += alphabet[Math.floor(next() * alphabet.length)];
  return result.slice(0, length);
}

describe('commonLength', () => {
  it('counts the common subsequence as the table does, both ways of counting', () => {
    const next = seededRandom(7);
    for (let round = 0; round < 3000; round += 1) {
      // Up to 40 units: the bit-parallel count (<= 30) and the table (longer) both run.
      const left = text(next, 1 + Math.floor(next() * 40));
      const right = text(next, Math.floor(next() * 45));
      expect(commonLength(left, right), `${left} / ${right}`).toBe(handCommon(left, right));
    }
  });
});

describe('indelRatio', () => {
  it("is fuzzball's ratio on processed text (hand-computed: 100 · (2 · common / total length))", () => {
    expect(indelRatio('replacement', 'replace')).toBe(78); // 1400 / 18 = 77.8
    expect(indelRatio('debit cards', 'debit card')).toBe(95); // 2000 / 21 = 95.2
    expect(indelRatio('harper value', 'harper valley')).toBe(88); // common "harper vale": 2200 / 25
    expect(indelRatio('abc', 'xyz')).toBe(0);
    expect(indelRatio('', 'abc')).toBe(0);
    expect(indelRatio('card', 'card')).toBe(100);
  });

  it('rounds a tie as fuzzball does: 100 · (46 / 80) is 57.49999..., so 57, not 58', () => {
    expect(
      indelRatio(`${'a'.repeat(23)}${'b'.repeat(7)}`, `${'a'.repeat(23)}${'c'.repeat(27)}`),
    ).toBe(57);
    // Over 30 units on the left: the table, the same rounding.
    expect(
      indelRatio(`${'a'.repeat(23)}${'b'.repeat(17)}`, `${'a'.repeat(23)}${'c'.repeat(17)}`),
    ).toBe(Math.round(100 * (46 / 80)));
  });
});
