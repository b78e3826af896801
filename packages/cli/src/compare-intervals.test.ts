// `plexus compare` where the paired resamples cannot vary: no one-value "95% CI +0.0 to +0.0",
// the reason instead, in the text and the JSON alike.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from './test-packages.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-intervals-cli-'));

/** A run folder of 30 items answered alike (right but every third). */
function run(name: string): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: 30 }, (_, item) => {
    const right = item % 3 !== 0;
    return JSON.stringify({
      item_id: `i${item}`,
      score: 'Spam',
      value: right ? 'spam' : 'ham',
      status: 'ok',
      label: 'spam',
      correct: right,
      error: null,
    });
  });
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

it('prints and stores no interval, with the reason, for two runs that answer alike', async () => {
  const [a, b] = [run('a'), run('b')];
  const text = await runMain(['compare', a, b]);
  expect(text.code).toBe(0);
  expect(text.stdout).not.toContain('95% CI +0.0 to +0.0');
  expect(text.stdout).not.toContain('95% CI 0.000 to 0.000');
  expect(text.stdout).toContain(
    '(B-A 0.000, no 95% CI: no variation in the resamples: all 1000 give 0.000, so a 95% interval cannot be taken from them)',
  );
  expect(text.stdout).toContain('B - A (no 95% CI: no variation in the resamples');
  const json = JSON.parse((await runMain(['compare', a, b, '--json'])).stdout);
  expect(json.scores[0]).toMatchObject({
    accuracy_delta: 0,
    accuracy_delta_ci95: null,
    f1_macro_delta_ci95: null,
    tests_agree: null,
  });
  expect(json.scores[0].accuracy_delta_ci95_reason).toMatch(/^no variation in the resamples/);
});
