// A score's seeded bootstrap intervals depend on its counts, not on the order its results arrived
// in (a cached re-run, a dataset read in chunks and LLM answers each change that order).
import { expect, it } from 'vitest';
import type { ResultLine } from '../run/result-line.js';
import { resultLine } from '../run/result-line-fixture.js';
import { ScoreMetricsAccumulator } from './score-metrics.js';

function lines(): ResultLine[] {
  return Array.from({ length: 300 }, (_, index) => {
    const label = ['a', 'b', 'c'][index % 3]!;
    const value = index % 7 === 0 ? ['a', 'b', 'c'][(index + 1) % 3]! : label;
    return resultLine(`item-${index}`, { label, value, correct: label === value });
  });
}

function intervalsOf(order: ResultLine[]) {
  const metrics = new ScoreMetricsAccumulator();
  for (const line of order) metrics.add(line);
  const { accuracy, accuracy_ci95, f1_macro_ci95 } = metrics.finish(7);
  return { accuracy, accuracy_ci95, f1_macro_ci95 };
}

it('gives the same intervals for the same results in any order', () => {
  const forward = lines();
  const first = intervalsOf(forward);
  expect(first.accuracy_ci95).not.toBeNull();
  expect(intervalsOf([...forward].reverse())).toEqual(first);
  // Starting with a wrong "b -> c" line puts that cell first in arrival order.
  const wrongFirst = [forward[7]!, ...forward.filter((_, index) => index !== 7)];
  expect(intervalsOf(wrongFirst)).toEqual(first);
});
