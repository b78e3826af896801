// runOnSpark with a stand-in for spark-submit that records it was called: no Spark needed.
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { loadScorecard } from '@plexus/core';
import { expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';

// Spark reads bytes that are not UTF-8 as U+FFFD: a Latin-1 "café" was scored as "caf\uFFFD",
// where a local read reports the row. The input is refused before the job, naming the line.
it('refuses a CSV or JSONL input with bytes that are not UTF-8 before submitting, naming the line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-utf8-'));
  const submitted = join(dir, 'submitted');
  const submit = join(dir, 'fake-spark-submit');
  writeFileSync(submit, `#!/bin/sh\ntouch ${submitted}\nexit 1\n`);
  chmodSync(submit, 0o755);
  const input = join(dir, 'items.csv');
  writeFileSync(input, Buffer.from('id,text\n1,hello\n2,caf\xe9 au lait\n', 'latin1'));
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Fake\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [café] }\n',
  );
  const scorecard = await loadScorecard(join(dir, 'card.yaml'), { plugins: [heuristic] });
  const options = {
    scorecard,
    input,
    output: join(dir, 'out'),
    runDir: join(dir, 'run'),
    sparkSubmit: submit,
    cacheDir: join(dir, 'cache'),
  };
  await expect(runOnSpark(options)).rejects.toThrow(
    `${input}:3 has bytes that are not UTF-8 (a Latin-1 "é"?); Spark would read them as U+FFFD`,
  );
  expect(existsSync(submitted)).toBe(false);
  // The same file saved as UTF-8 goes to spark-submit (which the stand-in fails).
  writeFileSync(input, 'id,text\n1,hello\n2,café au lait\n');
  await expect(runOnSpark(options)).rejects.toThrow(/spark-submit exited with 1/);
  expect(existsSync(submitted)).toBe(true);
});
