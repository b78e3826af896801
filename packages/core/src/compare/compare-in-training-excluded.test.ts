// With --errors exclude, an item one run failed on is not compared; the counts of items in a
// model's training data were taken before that exclusion: "of the 19 items, 20 in run A's model's
// training data" could be said, and in_training_a counted items outside the comparison.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compareRuns } from './compare.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-in-training-excluded-'));

function run(name: string, failed: (item: number) => boolean, trained: boolean) {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: 10 }, (_, item) =>
    JSON.stringify({
      item_id: `m${item}`,
      score: 'Spam',
      value: failed(item) ? null : 'spam',
      status: failed(item) ? 'error' : 'ok',
      label: 'spam',
      correct: failed(item) ? null : true,
      error: failed(item) ? { message: 'failed', code: 'x', retryable: false } : null,
      trace: trained && !failed(item) ? { in_training: true } : {},
    }),
  );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

it('counts the items in training data among the items compared (--errors exclude)', async () => {
  // A's model was trained on all 10 items and answers them all; B fails on m0..m3.
  const forest = run('Forest', () => false, true);
  const llm = run('LLM', (item) => item < 4, false);
  const [excluded] = (await compareRuns({ runA: forest, runB: llm, errors: 'exclude' })).scores;
  // By hand: 6 items answered by both, all 6 in A's training data.
  expect(excluded).toMatchObject({ n: 6, errors_b: 4, in_training_a: 6, in_training_b: 0 });
  expect(excluded!.verdict).toMatch(/^of the 6 items, 6 in run A's model's training data/);
  // Counted as wrong, the failed items are compared: 10 items, 10 in training.
  const [wrong] = (await compareRuns({ runA: forest, runB: llm })).scores;
  expect(wrong).toMatchObject({ n: 10, in_training_a: 10 });
});

it('says the items outside both training sets were failed, not that there are none', async () => {
  // A's model was trained on m0..m5 (right); B answers those and fails on m6..m9, which neither
  // model learnt: 4 items outside both, every one failed in run B.
  const dir = join(folder, 'outside-failed');
  mkdirSync(dir);
  const lines = (
    name: string,
    failed: (item: number) => boolean,
    trained: (item: number) => boolean,
  ) =>
    Array.from({ length: 10 }, (_, item) =>
      JSON.stringify({
        item_id: `m${item}`,
        score: 'Spam',
        value: failed(item) ? null : 'spam',
        status: failed(item) ? 'error' : 'ok',
        label: 'spam',
        correct: failed(item) ? null : true,
        error: failed(item) ? { message: 'failed', code: 'x', retryable: false } : null,
        trace: trained(item) ? { in_training: true } : {},
        run: name,
      }),
    ).join('\n');
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(
    join(dir, 'a', 'results.jsonl'),
    `${lines(
      'a',
      () => false,
      (item) => item < 6,
    )}\n`,
  );
  writeFileSync(
    join(dir, 'b', 'results.jsonl'),
    `${lines(
      'b',
      (item) => item >= 6,
      () => false,
    )}\n`,
  );
  const [score] = (
    await compareRuns({ runA: join(dir, 'a'), runB: join(dir, 'b'), errors: 'exclude' })
  ).scores;
  expect(score).toMatchObject({ n: 6, in_training_a: 6 });
  expect(score!.outside_training).toMatchObject({ n: 0, errors_b: 4 });
  expect(score!.verdict).not.toContain('no item is outside both');
  expect(score!.verdict).toContain('the 4 items due in both failed in one run or both');
});
