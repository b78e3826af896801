// The optimizer's prompt showed the examples of each confusion in the order results.jsonl held
// them, the order calls ended: under load a resume asked with other examples, a request its cache
// had not seen (paid again, and answered otherwise). The same answers give the same cells.
import type { ResultLine } from '@plexus/core';
import { expect, it } from 'vitest';
import { largestConfusions } from './measure.js';

function line(item: number, label: string, value: string): ResultLine {
  return {
    item_id: `m${item}`,
    score: 'Spam',
    value,
    status: 'ok',
    label,
    correct: label === value,
    explanation: `said ${value}`,
    confidence: null,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: 1,
    retries: 0,
    latency_ms: 1,
    cached: false,
    error: null,
    text: `message ${item}`,
  };
}

it('gives the same cells and examples whatever order the lines came in', () => {
  // 8 spam read as ham, 8 ham read as spam (a tie of size), 4 right.
  const lines = Array.from({ length: 20 }, (_, item) =>
    item < 8
      ? line(item, 'spam', 'ham')
      : item < 16
        ? line(item, 'ham', 'spam')
        : line(item, 'ham', 'ham'),
  );
  const reversed = [...lines].reverse();
  const shuffled = lines.map((_entry, index) => lines[(index * 7) % 20]!);
  const cells = largestConfusions(lines, 3, 5);
  expect(largestConfusions(reversed, 3, 5)).toEqual(cells);
  expect(largestConfusions(shuffled, 3, 5)).toEqual(cells);
  // By hand: the tie broken by gold label (ham before spam), examples by item id (m10 < m8).
  expect(cells.map((cell) => [cell.gold, cell.predicted, cell.count])).toEqual([
    ['ham', 'spam', 8],
    ['spam', 'ham', 8],
  ]);
  expect(cells[0]!.examples.map((example) => example.id)).toEqual([
    'm10',
    'm11',
    'm12',
    'm13',
    'm14',
  ]);
  expect(cells[1]!.examples.map((example) => example.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
});
