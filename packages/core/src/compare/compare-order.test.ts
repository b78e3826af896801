// compare's bootstrap intervals depend on the paired counts, not on the order the runs' lines
// came in.
import { expect, it } from 'vitest';
import { compareScore } from './compare-score.js';

const pairs: [string, number][] = [
  ['yes\u0000yes\u0000yes', 40],
  ['yes\u0000no\u0000yes', 9],
  ['no\u0000no\u0000yes', 6],
  ['no\u0000no\u0000no', 35],
  ['yes\u0000yes\u0000no', 3],
  ['no\u0000yes\u0000no', 7],
];

function compared(order: [string, number][]) {
  return compareScore({
    scoreA: 'Spam',
    scoreB: 'Spam',
    counts: new Map(order),
    alpha: 0.05,
    errors: 'wrong',
    seed: 3,
  });
}

it('gives the same intervals for the same paired counts in any order', () => {
  const first = compared(pairs);
  expect(first.accuracy_delta_ci95).not.toBeNull();
  expect(compared([...pairs].reverse())).toEqual(first);
  expect(compared([pairs[4]!, pairs[1]!, pairs[5]!, pairs[0]!, pairs[3]!, pairs[2]!])).toEqual(
    first,
  );
});
