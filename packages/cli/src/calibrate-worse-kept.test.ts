// A map that makes the held-out answers worse calibrated is "written, not used: the scorecard is
// left as it was". When the score already pointed at NAME.calibration.json, that file was written
// over with the worse map: the scorecard, unchanged, used it from then on.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain, writeEchoPackage } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-worse-kept-'));
writeEchoPackage(project);

it('leaves the calibration the score uses as it was when the new map is worse', async () => {
  // As calibrate-worse.test.ts: every answer 'yes' at 0.7, right on every other item; the seeded
  // map makes the held-out ECE 0.050 -> 0.375.
  const rows = Array.from(
    { length: 12 },
    (_, index) => `i${index},yes 0.7,${index % 2 ? 'no' : 'yes'}`,
  );
  writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
  // The calibration the score uses now (an earlier fit: 0.7 stays 0.7).
  const used = `${JSON.stringify(
    {
      version: 1,
      score: 'Echo',
      map: { method: 'isotonic', x: [0, 1], y: [0, 1] },
      fitted: { method: 'isotonic', package: null },
    },
    null,
    2,
  )}\n`;
  writeFileSync(join(project, 'Echo.calibration.json'), used);
  const card = join(project, 'card.yaml');
  const yaml =
    'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n    calibration: Echo.calibration.json\n';
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
  expect(run.stdout).toContain('not used: it makes the held-out answers worse calibrated');
  expect(readFileSync(card, 'utf8')).toBe(yaml);
  // The file the scorecard points at holds the map it held before.
  expect(readFileSync(join(project, 'Echo.calibration.json'), 'utf8')).toBe(used);
  // The worse map is written beside it, under a name the scorecard does not use.
  const written = run.stdout.match(/Wrote (\S+), not used/)?.[1];
  expect(written).toBeDefined();
  expect(written).not.toBe(join(project, 'Echo.calibration.json'));
  const worse = JSON.parse(readFileSync(written!, 'utf8'));
  expect(worse.fitted.ece_after).toBeCloseTo(0.375, 12);
});
