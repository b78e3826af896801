// A forest scored on its own training rows remembers them: compare called it 75 points better
// than an LLM on 20 messages, 18 of which the forest had been trained on, without a word. The
// counts of such items are given per run, and the comparison over the items neither model saw.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compareRuns } from './compare.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-in-training-'));

function run(name: string, right: (item: number) => boolean, trained: (item: number) => boolean) {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: 20 }, (_, item) =>
    JSON.stringify({
      item_id: `m${item}`,
      score: name,
      value: right(item) ? 'spam' : 'ham',
      status: 'ok',
      label: 'spam',
      correct: right(item),
      error: null,
      trace: trained(item) ? { in_training: true } : {},
    }),
  );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

it('counts compared items in a model training data, and compares the others alone', async () => {
  // The forest was trained on m0..m17 (right on all), and is wrong on m18, m19; the LLM is right
  // on m0, m1 and m18 only.
  const forest = run(
    'Forest',
    (item) => item < 18,
    (item) => item < 18,
  );
  const llm = run(
    'LLM',
    (item) => item < 2 || item === 18,
    () => false,
  );
  const [score] = (await compareRuns({ runA: forest, runB: llm, pairs: [['Forest', 'LLM']] }))
    .scores;
  // By hand, all 20: A 18/20, B 3/20; only A right on m2..m17 (16), only B on m18 (1): McNemar's
  // exact p = 2 * (1 + 17) / 2^17.
  expect(score).toMatchObject({ n: 20, in_training_a: 18, in_training_b: 0 });
  expect(score!.accuracy_a).toBeCloseTo(0.9, 12);
  expect(score!.accuracy_b).toBeCloseTo(0.15, 12);
  expect(score!.mcnemar_p).toBeCloseTo(36 / 131072, 12);
  expect(score!.verdict).toMatch(
    /^of the 20 items, 18 in run A's model's training data \(answers remembered, not predicted\): over the 2 outside both, not significant: .*; over all 20, significant: Forest \(run A\) is more accurate by 75\.0 points/,
  );
  // Outside both (m18, m19): A 0/2, B 1/2; one discordant item: p = 1, not significant.
  const outside = score!.outside_training!;
  expect(outside).toMatchObject({ n: 2, only_a_correct: 0, only_b_correct: 1, mcnemar_p: 1 });
  expect(outside.accuracy_a).toBe(0);
  expect(outside.accuracy_b).toBe(0.5);
  expect(outside.significant).toBe(false);
  expect(outside.outside_training).toBeNull();

  // Without training data in either run, nothing changes.
  const again = (await compareRuns({ runA: llm, runB: llm })).scores[0]!;
  expect(again).toMatchObject({ in_training_a: 0, in_training_b: 0, outside_training: null });
  expect(again.verdict).not.toContain('training');
});
