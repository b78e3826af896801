import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@plexus/core';
import { expect, it } from 'vitest';
import { runMain, writeEchoPackage } from './test-packages.js';

// A calibration map is fitted on the confidences a score's code gave. This session changed what an
// LLM score's confidence is (the label's probability, no more the last token's): a map fitted
// before was applied to the new confidences without a word. The file now records the package's
// code, and a score loaded with other code says its calibration may no longer fit.
it('warns when the calibrated score runs other code than the calibration was fitted on', async () => {
  const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-stale-'));
  writeEchoPackage(project);
  const random = seededRandom(3);
  const rows = Array.from({ length: 200 }, (_, index) => {
    const confidence = Math.round((0.5 + random() * 0.5) * 100) / 100;
    return `i${index},yes ${confidence},${random() < confidence ? 'yes' : 'no'}`;
  });
  writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
  const card = join(project, 'card.yaml');
  writeFileSync(
    card,
    'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n',
  );
  const cacheDir = join(project, 'cache');
  const fitted = await runMain(['calibrate', card, '--score', 'Echo', '--cache-dir', cacheDir]);
  expect(fitted.code, fitted.stderr).toBe(0);
  const file = JSON.parse(readFileSync(join(project, 'Echo.calibration.json'), 'utf8'));
  expect(file.fitted.code).toMatch(/^plexus-score-echo@unknown [0-9a-f]{64}$/);
  const same = await runMain(['validate', card]);
  expect(same.code, same.stderr).toBe(0);
  expect(same.stderr).not.toContain('fit it again');
  // The package's code changes (a new version of it): the calibration is still applied, and said.
  appendFileSync(join(project, 'node_modules', 'plexus-score-echo', 'index.js'), '\n// v2\n');
  const changed = await runMain(['validate', card]);
  expect(changed.code, changed.stderr).toBe(0);
  expect(changed.stderr).toMatch(
    /card\.yaml:\d+:\d+: scores\[0\]\.calibration: warning: Echo\.calibration\.json was fitted on the confidences of plexus-score-echo@unknown \(code [0-9a-f]{12}\), and the score now runs plexus-score-echo@unknown \(code [0-9a-f]{12}\): .*fit it again with plexus calibrate/,
  );
});
