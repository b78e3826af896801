import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-due-only-'));

/** A run folder of items `from`..`to` - 1 (item 7 skipped when `skip7`), each answered right. */
function run(name: string, from: number, to: number, skip7 = false): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = [];
  for (let item = from; item < to; item += 1)
    lines.push(
      JSON.stringify({
        item_id: `i${item}`,
        score: 'Spam',
        value: skip7 && item === 7 ? null : 'spam',
        status: skip7 && item === 7 ? 'skipped' : 'ok',
        label: 'spam',
        correct: skip7 && item === 7 ? null : true,
      }),
    );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

// Two runs of different items (a --limit run beside the whole one) were compared on the items of
// both, and the items of one run only were left out without a count.
describe('compare counts the items due in one run only', () => {
  it('A: items 0-39; B: items 5-44, item 7 skipped (hand count)', async () => {
    const runA = run('a', 0, 40);
    const runB = run('b', 5, 45, true);
    const score = (await compareRuns({ runA, runB })).scores[0]!;
    // Both: i5..i39 but i7 = 34 items; A only: i0..i4 and i7 = 6; B only: i40..i44 = 5.
    expect(score.n).toBe(34);
    expect(score.due_only_a).toBe(6);
    expect(score.due_only_b).toBe(5);
    const reverse = (await compareRuns({ runA: runB, runB: runA })).scores[0]!;
    expect(reverse).toMatchObject({ n: 34, due_only_a: 5, due_only_b: 6 });
    expect(score.verdict).not.toContain('due in one run only');
  });

  it('the same runs: nothing left out', async () => {
    const same = run('same', 0, 10);
    expect((await compareRuns({ runA: same, runB: same })).scores[0]).toMatchObject({
      n: 10,
      due_only_a: 0,
      due_only_b: 0,
    });
  });

  it('a run without a result is said to have none, not to share no score name', async () => {
    const empty = join(folder, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'results.jsonl'), '');
    const whole = run('whole', 0, 3);
    await expect(compareRuns({ runA: empty, runB: whole })).rejects.toThrow(
      'run A has no result (results.jsonl holds no line): nothing to compare',
    );
    await expect(compareRuns({ runA: empty, runB: empty })).rejects.toThrow(
      'run A and run B have no result',
    );
  });
});
