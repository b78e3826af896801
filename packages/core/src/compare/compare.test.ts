import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-'));

function run(
  name: string,
  score: string,
  answers: (item: number) => string,
  gold: (item: number) => string,
): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: 400 }, (_, item) =>
    JSON.stringify({
      item_id: `i${item}`,
      score,
      value: answers(item),
      status: 'ok',
      label: gold(item),
    }),
  );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

const gold = (item: number) => (item % 2 ? 'spam' : 'ham');
const flip = (label: string) => (label === 'spam' ? 'ham' : 'spam');

describe('compareRuns', () => {
  it('finds a significant difference between two scorecards over the same data', async () => {
    // Run A (a rule) errs on 1 item in 5; run B (a model) on 1 in 20, and only where A errs too.
    const rule = run(
      'rule',
      'Spam Rule',
      (item) => (item % 5 === 0 ? flip(gold(item)) : gold(item)),
      gold,
    );
    const model = run(
      'model',
      'Spam Model',
      (item) => (item % 20 === 0 ? flip(gold(item)) : gold(item)),
      gold,
    );
    const result = await compareRuns({ runA: rule, runB: model });
    const [score] = result.scores;
    expect(score).toMatchObject({
      score_a: 'Spam Rule',
      score_b: 'Spam Model',
      n: 400,
      only_a_correct: 0,
      only_b_correct: 60,
    });
    expect(score!.accuracy_a).toBeCloseTo(0.8, 12);
    expect(score!.accuracy_b).toBeCloseTo(0.95, 12);
    expect(score!.accuracy_delta).toBeCloseTo(0.15, 12);
    expect(score!.mcnemar_p).toBeLessThan(1e-10);
    expect(score!.significant).toBe(true);
    expect(score!.accuracy_delta_ci95![0]).toBeGreaterThan(0.1);
    expect(score!.accuracy_delta_ci95![1]).toBeLessThan(0.2);
    expect(score!.verdict).toMatch(
      /^significant: Spam Model \(run B\) is more accurate by 15\.0 points/,
    );
  });

  it('says plainly when a difference is not significant', async () => {
    const a = run('a', 'S', (item) => (item % 10 === 0 ? flip(gold(item)) : gold(item)), gold);
    const b = run('b', 'S', (item) => (item % 10 === 1 ? flip(gold(item)) : gold(item)), gold);
    const [score] = (await compareRuns({ runA: a, runB: b })).scores;
    expect(score).toMatchObject({
      only_a_correct: 40,
      only_b_correct: 40,
      mcnemar_p: 1,
      significant: false,
    });
    expect(score!.verdict).toMatch(/^not significant: accuracy differs by \+0\.0 points/);
  });

  it('needs pairs when the runs share no score name, and names the scores', async () => {
    const two = run('two', 'X', gold, gold);
    writeFileSync(
      join(two, 'results.jsonl'),
      `${JSON.stringify({ item_id: 'i1', score: 'Y', value: 'ham', status: 'ok', label: 'ham' })}\n`,
      { flag: 'a' },
    );
    const other = run('other', 'Z', gold, gold);
    await expect(compareRuns({ runA: two, runB: other })).rejects.toThrow(
      /share no score name; pair them with --pair A=B \(run A: X, Y; run B: Z\)/,
    );
    const [score] = (await compareRuns({ runA: two, runB: other, pairs: [['X', 'Z']] })).scores;
    expect(score).toMatchObject({ n: 400, accuracy_delta: 0 });
    await expect(compareRuns({ runA: join(folder, 'nope'), runB: other })).rejects.toThrow(
      /not a run folder/,
    );
  });
});
