// compare's paired bootstrap intervals where the resamples cannot vary: absent with the reason,
// not [0, 0] (no item only one run got right) or [-1, -1] (one item), claims of certainty.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-intervals-'));

/** A run folder whose results.jsonl answers item i right when `right(i)` (gold spam). */
function run(name: string, items: number, right: (item: number) => boolean): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: items }, (_, item) =>
    JSON.stringify({
      item_id: `i${item}`,
      score: 'Spam',
      value: right(item) ? 'spam' : 'ham',
      status: 'ok',
      label: item % 2 === 0 ? 'spam' : 'ham',
      correct: right(item) === (item % 2 === 0),
      error: null,
    }),
  );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

const noVariation = /^no variation in the resamples: all 1000 give /;

describe('compare intervals that cannot vary', () => {
  it('are absent with the reason when no item was right in one run only', async () => {
    // Both runs answer the same: every resample's difference is 0.
    const same = (item: number) => item % 3 !== 0;
    const { scores } = await compareRuns({ runA: run('a', 40, same), runB: run('b', 40, same) });
    const score = scores[0]!;
    expect(score).toMatchObject({
      n: 40,
      accuracy_delta: 0,
      accuracy_delta_ci95: null,
      f1_macro_delta_ci95: null,
      mcnemar_p: 1,
      tests_agree: null,
    });
    expect(score.accuracy_delta_ci95_reason).toMatch(noVariation);
    expect(score.f1_macro_delta_ci95_reason).toMatch(noVariation);
    expect(score.verdict).toBe(
      'not significant: accuracy differs by +0.0 points, B - A (no 95% CI: no variation in the resamples: all 1000 give 0.000, so a 95% interval cannot be taken from them; McNemar p = 1.0 >= 0.05)',
    );
  });

  it('are absent with the reason for one item, and the tests do not "disagree"', async () => {
    const { scores } = await compareRuns({
      runA: run('one-a', 1, () => true),
      runB: run('one-b', 1, () => false),
    });
    const score = scores[0]!;
    expect(score).toMatchObject({ n: 1, accuracy_delta: -1, accuracy_delta_ci95: null });
    expect(score.tests_agree).toBeNull();
    expect(score.accuracy_delta_ci95_reason).toMatch(/^too few items \(1\)/);
    expect(score.verdict).not.toContain('disagree');
    expect(score.verdict).toContain('(no 95% CI: too few items (1)');
  });

  it('are there, with no reason, when the runs differ on some items', async () => {
    const { scores } = await compareRuns({
      runA: run('some-a', 40, (item) => item % 4 !== 0),
      runB: run('some-b', 40, (item) => item % 5 !== 0),
    });
    const score = scores[0]!;
    const [low, high] = score.accuracy_delta_ci95!;
    expect(low).toBeLessThan(high);
    expect(score.accuracy_delta_ci95_reason).toBeNull();
    expect(typeof score.tests_agree).toBe('boolean');
  });
});
