import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readRunAnswers, readRunResults } from './run-answers.js';
import { reviewQueueOfRun } from './run-queue.js';

// A results.jsonl holding lines that are JSON but no result (`null`, a number, a list: another
// tool's file, a hand edit) failed `feedback agreement --run` and `review queue` with
// "Cannot read properties of null (reading 'item_id')", exit 1.
it('reads past lines that are JSON but no result object', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-run-answers-foreign-'));
  const result = (item_id: string, value: string) =>
    JSON.stringify({
      item_id,
      score: 'Topic',
      status: 'ok',
      value,
      label: null,
      confidence: 0.5,
      text: 't',
    });
  writeFileSync(
    join(dir, 'results.jsonl'),
    [result('1', 'yes'), 'null', '7', '[1,2]', '"text"', 'true', result('2', 'no'), ''].join('\n'),
  );
  // By hand: two results, items 1 and 2.
  expect((await readRunResults(dir)).map((line) => line.item_id)).toEqual(['1', '2']);
  expect([...(await readRunAnswers(dir)).get('Topic')!]).toEqual([
    ['1', 'yes'],
    ['2', 'no'],
  ]);
  const queue = await reviewQueueOfRun(dir, { n: 10, by: 'uncertainty' });
  expect(queue.items.map((item) => item.item_id).sort()).toEqual(['1', '2']);
});
