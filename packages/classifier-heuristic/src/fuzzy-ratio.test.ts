import { seededRandom } from '@plexus/core';
import * as fuzzball from 'fuzzball';
import { describe, expect, it } from 'vitest';
import { indelRatio } from './fuzzy-ratio.js';

const alphabet = ['a', 'b', 'c', ' ', "'", 'é', '😀', 'n', 'k'];

function text(next: () => number, length: number): string {
  let result = '';
  while (result.length < length) result += alphabet[Math.floor(next() * alphabet.length)];
  return result.slice(0, length);
}

describe('the fuzzy ratio', () => {
  const ratio = indelRatio(fuzzball.ratio);
  const options = { full_process: false };

  it("gives fuzzball's ratio for every pair, ties of rounding included", () => {
    const next = seededRandom(11);
    const pairs: [string, string][] = [
      ['harper valley national bank', 'harper value national bank'],
      ['harper valley national bank', 'harper valley national bank'],
      ['card', 'card'],
      ['', 'card'],
      ['card', ''],
      // Length sum 16, common 1: 12.5 exactly. Sum 80, common 23: 57.5, which fuzzball's
      // 100 * (46 / 80) rounds to 57 (200 * 23 / 80 would round to 58).
      ['abcdefgh', 'ahhhhhhh'],
      [`${'a'.repeat(23)}${'b'.repeat(7)}`, `${'a'.repeat(23)}${'c'.repeat(27)}`],
      ['x'.repeat(31), 'x'.repeat(29)], // over 30 units: fuzzball itself
    ];
    for (let round = 0; round < 5000; round += 1)
      pairs.push([text(next, 1 + Math.floor(next() * 34)), text(next, Math.floor(next() * 60))]);
    expect(ratio(...pairs[6]!, options)).toBe(57);
    for (const [left, right] of pairs)
      expect(ratio(left, right, options), `${left} / ${right}`).toBe(
        fuzzball.ratio(left, right, options),
      );
  });
});
