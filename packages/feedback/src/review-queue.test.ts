import { describe, expect, it } from 'vitest';
import { reviewQueue } from './review-queue.js';
import type { RunResult } from './run-answers.js';

function result(
  item: string,
  score: string,
  value: string,
  confidence: number | null,
  label: string | null = null,
): RunResult {
  return { item_id: item, score, value, status: 'ok', label, confidence, text: `text of ${item}` };
}

// Two scores answering the same question; confidences picked by hand.
const results = [
  result('a', 'Rule', 'yes', 0.9, 'yes'),
  result('a', 'LLM', 'yes', 0.8),
  result('b', 'Rule', 'no', 0.4, 'yes'),
  result('b', 'LLM', 'yes', 0.7),
  result('c', 'Rule', 'yes', null, 'no'),
  result('c', 'LLM', 'no', 0.55),
  result('d', 'Rule', 'no', null, 'yes'),
  result('d', 'LLM', 'no', null),
];

describe('reviewQueue', () => {
  it('uncertainty: lowest confidence first; items without any confidence left out and counted', () => {
    const queue = reviewQueue(results, { n: 10, by: 'uncertainty' });
    expect(queue.items.map((item) => [item.item_id, item.priority])).toEqual([
      ['b', 0.4],
      ['c', 0.55],
      ['a', 0.8],
    ]);
    expect(queue).toMatchObject({ considered: 4, unranked: 1 });
    expect(queue.items[0]).toMatchObject({
      text: 'text of b',
      answers: { Rule: 'no', LLM: 'yes' },
    });
    expect(reviewQueue(results, { n: 2, by: 'uncertainty' }).items).toHaveLength(2);
    // One score only: its own confidence.
    const rule = reviewQueue(results, { n: 10, by: 'uncertainty', scores: ['Rule'] });
    expect(rule.items.map((item) => item.item_id)).toEqual(['b', 'a']);
  });

  it('disagreement: items where the scores differ first, then lower confidence', () => {
    const queue = reviewQueue(results, { n: 10, by: 'disagreement' });
    expect(queue.items.map((item) => [item.item_id, item.priority])).toEqual([
      ['b', 0.5],
      ['c', 0.5],
      ['a', 0],
      ['d', 0],
    ]);
  });

  it('cell: the items of one confusion cell of one score, in run order', () => {
    const queue = reviewQueue(results, {
      n: 10,
      by: 'cell',
      scores: ['Rule'],
      cell: { gold: 'yes', predicted: 'no' },
    });
    expect(queue.items.map((item) => item.item_id)).toEqual(['b', 'd']);
  });

  it('names what is missing', () => {
    expect(() =>
      reviewQueue(results, { n: 5, by: 'cell', cell: { gold: 'yes', predicted: 'no' } }),
    ).toThrow(/--by cell needs --cell GOLD,PREDICTED and one --score NAME/);
    expect(() => reviewQueue(results, { n: 5, by: 'uncertainty', scores: ['Nope'] })).toThrow(
      /--score: no score Nope in the run \(scores: Rule, LLM\)/,
    );
    expect(() => reviewQueue(results, { n: 5, by: 'disagreement', scores: ['Rule'] })).toThrow(
      /two scores/,
    );
  });
});
