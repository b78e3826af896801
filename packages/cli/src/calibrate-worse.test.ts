// A map that made the held-out answers worse calibrated was written and pointed at all the same
// (12 answers at confidence 0.7: held-out ECE 0.050 -> 0.375). It is written, and not used.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain, writeEchoPackage } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-worse-'));
writeEchoPackage(project);

it('keeps a map that worsens the held-out ECE out of the scorecard, and says so', async () => {
  // Every answer 'yes' at 0.7, right on every other item (6 of 12).
  const rows = Array.from(
    { length: 12 },
    (_, index) => `i${index},yes 0.7,${index % 2 ? 'no' : 'yes'}`,
  );
  writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
  const card = join(project, 'card.yaml');
  const yaml =
    'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n';
  writeFileSync(card, yaml);
  const run = await runMain([
    'calibrate',
    card,
    '--score',
    'Echo',
    '--cache-dir',
    join(project, 'c'),
  ]);
  expect(run.code, run.stderr).toBe(0);
  // By hand: the seeded split fits on 8 answers (3 right) and holds out 4 (3 right). Before, the
  // held-out ECE is |0.75 - 0.7|; isotonic maps the one confidence to 3/8: |0.75 - 0.375|.
  const fitted = JSON.parse(readFileSync(join(project, 'Echo.calibration.json'), 'utf8')).fitted;
  expect(fitted).toMatchObject({ fitted_on: 8, held_out: 4 });
  expect(fitted.ece_before).toBeCloseTo(0.05, 12);
  expect(fitted.ece_after).toBeCloseTo(0.375, 12);
  expect(run.stdout).toContain(
    'not used: it makes the held-out answers worse calibrated (ECE 0.050 → 0.375), so the scorecard is left as it was',
  );
  expect(readFileSync(card, 'utf8')).toBe(yaml);
});
