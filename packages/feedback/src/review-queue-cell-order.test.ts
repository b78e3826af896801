import { describe, expect, it } from 'vitest';
import { reviewQueue } from './review-queue.js';
import type { RunResult } from './run-answers.js';

function result(item: string, confidence: number | null, value = 'no'): RunResult {
  return {
    item_id: item,
    score: 'Rule',
    value,
    status: 'ok',
    label: 'yes',
    confidence,
    text: null,
  };
}

describe('review queue by confusion cell', () => {
  it('lists the cell in run order, as documented, whatever the confidences', () => {
    // Gold yes, answered no, for a, b, c and e; d is answered yes (another cell).
    const results = [
      result('a', 0.9),
      result('b', 0.2),
      result('c', null),
      result('d', 0.1, 'yes'),
      result('e', 0.5),
    ];
    const queue = reviewQueue(results, {
      n: 3,
      by: 'cell',
      scores: ['Rule'],
      cell: { gold: 'yes', predicted: 'no' },
    });
    // Lowest confidence first gave b, e, a: the first three of the cell are a, b, c.
    expect(queue.items.map((item) => item.item_id)).toEqual(['a', 'b', 'c']);
  });
});
