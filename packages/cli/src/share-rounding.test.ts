// A score wrong on one item of 3,000 read "accuracy 1.000" and "AC1 1.000" in the summary table,
// `plexus runs`, `plexus compare` and the viewer, as for a score never wrong.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScoreMetrics } from '@plexus/core';
import { expect, it } from 'vitest';
import { metricText } from './commands/sweep.js';
import { errorNotes } from './run-outcome.js';
import { runMain, writeEchoPackage } from './test-packages.js';

it('never prints a share below 1 as 1.000 (2,999 right of 3,000, hand count)', async () => {
  const project = mkdtempSync(join(tmpdir(), 'plexus-share-rounding-'));
  writeEchoPackage(project);
  // Gold yes everywhere; the echo score answers no on item 0 only.
  const rows = Array.from(
    { length: 3000 },
    (_, item) => `i${item},${item === 0 ? 'no' : 'yes'} 0.9,yes`,
  );
  writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
  const card = join(project, 'card.yaml');
  writeFileSync(
    card,
    'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n',
  );
  const run = join(project, 'runs', 'one');
  const evaluated = await runMain(['evaluate', card, '--out', run]);
  expect(evaluated.code, evaluated.stderr).toBe(0);
  const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')).scores.Echo;
  expect(metrics.accuracy).toBe(2999 / 3000);
  expect(metrics.gwet_ac1).toBeLessThan(1);
  // n, accuracy, F1 macro (0.49992: no is never gold), AC1.
  expect(evaluated.stdout).toMatch(/Echo\s+3000\s+>0\.999\s+0\.500\s+>0\.999\s+0\s+0\s+0/);
  const runs = await runMain(['runs', join(project, 'runs')]);
  expect(runs.stdout).toContain('Echo: accuracy >0.999, F1 0.500');
  const compared = await runMain(['compare', run, run]);
  expect(compared.stdout).toContain('accuracy  A >0.999  B >0.999');
  expect(compared.stdout).not.toContain('1.000');
});

it("the summary's error note: 2,999 right of 3,000 due, one failed, is not 1.000 counting errors", () => {
  const metrics = {
    n: 2999,
    n_errors: 1,
    n_results: 3000,
    n_skipped: 0,
    coverage: 2999 / 3000,
    accuracy_counting_errors: 2999 / 3000,
  } as ScoreMetrics;
  const [note] = errorNotes({ scores: { Echo: metrics } });
  expect(note).toBe(
    'Echo: 1 error of 3000 items due an answer; coverage >99.9%; accuracy counting errors as wrong >0.999',
  );
});

it("a sweep trial's metric below 1 is not 1.000, its spread above 0 not 0.000", () => {
  // Folds of 0.9996 and 0.9999 (mean 0.99975, spread 0.00015 by hand).
  expect(metricText(0.99975, 0.00015)).toBe('>0.999 ± 0.0001');
  expect(metricText(0.913, 0.02)).toBe('0.913 ± 0.020');
  expect(metricText(1, 0)).toBe('1.000 ± 0.000');
  expect(metricText(null, null)).toBe('— ± —');
});
