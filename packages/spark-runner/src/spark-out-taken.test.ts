// runOnSpark with a stand-in for spark-submit that records it was called: no Spark needed.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { loadScorecard } from '@plexus/core';
import { expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';

// The local run folder (--out) was checked only when the results came back: a folder holding a
// run, or a file a run writes, was refused after the whole Spark job had run (its work lost).
it('refuses an --out that cannot take the run before submitting the job', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-out-'));
  const submitted = join(dir, 'submitted');
  const submit = join(dir, 'fake-spark-submit');
  writeFileSync(submit, `#!/bin/sh\ntouch ${submitted}\nexit 1\n`);
  chmodSync(submit, 0o755);
  const input = join(dir, 'items.csv');
  writeFileSync(input, 'id,text\n1,hello\n');
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Fake\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [hello] }\n',
  );
  const scorecard = await loadScorecard(join(dir, 'card.yaml'), { plugins: [heuristic] });
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const options = {
    scorecard,
    input,
    output: join(dir, 'out'),
    runDir,
    sparkSubmit: submit,
    cacheDir: join(dir, 'cache'),
  };
  writeFileSync(join(runDir, 'run.json'), '{}\n');
  await expect(runOnSpark(options)).rejects.toThrow(`${runDir} already holds a run`);
  expect(existsSync(submitted)).toBe(false);
  rmSync(join(runDir, 'run.json'));
  writeFileSync(join(runDir, 'report.html'), '<p>mine</p>\n');
  await expect(runOnSpark(options)).rejects.toThrow(/already holds report\.html/);
  expect(existsSync(submitted)).toBe(false);
  // A folder that can take the run goes to spark-submit (which the stand-in fails).
  rmSync(join(runDir, 'report.html'));
  await expect(runOnSpark(options)).rejects.toThrow(/spark-submit exited with 1/);
  expect(existsSync(submitted)).toBe(true);
});
