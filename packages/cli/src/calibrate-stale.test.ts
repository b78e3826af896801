import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@plexus/core';
import { expect, it } from 'vitest';
import { runMain, writeEchoPackage } from './test-packages.js';

// A calibration map is fitted on the confidences one version of a score's package gave; an upgrade
// may change what a confidence is (this session's LLM confidence did). The map was applied to the
// new confidences without a word. The file now records `name@version`, and a score loaded with
// another version says its calibration may no longer fit.
it('warns when the calibrated score runs another package version than the calibration was fitted on', async () => {
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
  expect(file.fitted.package).toBe('plexus-score-echo@unknown');
  const same = await runMain(['validate', card]);
  expect(same.code, same.stderr).toBe(0);
  expect(same.stderr).not.toContain('fit it again');
  // A code change alone (no new version) says nothing; a new version: still applied, and said.
  const folder = join(project, 'node_modules', 'plexus-score-echo');
  appendFileSync(join(folder, 'index.js'), '\n// v2\n');
  expect((await runMain(['validate', card])).stderr).not.toContain('fit it again');
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ ...manifest, version: '2.0.0' }));
  const changed = await runMain(['validate', card]);
  expect(changed.code, changed.stderr).toBe(0);
  expect(changed.stderr).toMatch(
    /card\.yaml:\d+:\d+: scores\[0\]\.calibration: warning: Echo\.calibration\.json was fitted on the confidences of plexus-score-echo@unknown, and the score now runs plexus-score-echo@2\.0\.0: .*fit it again with plexus calibrate/,
  );
});

// A file an earlier Plexus wrote has no `fitted.package`: it loaded without a word, though the LLM
// confidence changed meaning since. It warns that it cannot tell.
it('warns when the calibration file does not say which package version it was fitted on', async () => {
  const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-old-file-'));
  writeEchoPackage(project);
  const rows = Array.from({ length: 40 }, (_, index) => `i${index},yes 0.${50 + index},yes`);
  writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
  const card = join(project, 'card.yaml');
  writeFileSync(
    card,
    'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n    calibration: old.calibration.json\n',
  );
  const map = { method: 'isotonic', x: [0.5, 0.9], y: [0.6, 0.95] };
  const fitted = { data: null, method: 'isotonic', seed: 0, fitted_on: 28, held_out: 12 };
  writeFileSync(
    join(project, 'old.calibration.json'),
    JSON.stringify({ version: 1, score: 'Echo', map, fitted }),
  );
  const checked = await runMain(['validate', card]);
  expect(checked.code, checked.stderr).toBe(0);
  expect(checked.stderr).toMatch(
    /scores\[0\]\.calibration: warning: old\.calibration\.json does not say which version of the score's package it was fitted on \(an earlier Plexus wrote it\); the score now runs plexus-score-echo@unknown: .*fit it again with plexus calibrate/,
  );
  // `package: null` (unknown when fitted) says nothing more than it knows.
  writeFileSync(
    join(project, 'old.calibration.json'),
    JSON.stringify({ version: 1, score: 'Echo', map, fitted: { ...fitted, package: null } }),
  );
  expect((await runMain(['validate', card])).stderr).not.toContain('fit it again');
});
