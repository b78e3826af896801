import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

// The closing line of `plexus spark submit` said "rows unreadable" of the rows `plexus evaluate`
// calls skipped (unreadable, or repeating an id): the same rows, in other words.
it("spark submit's closing line counts as plexus evaluate's does", () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-summary-'));
  writeFileSync(join(dir, 'items.jsonl'), '{"id": "a", "text": "free prize"}\n');
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Fake\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], phrases: [free] }\n',
  );
  // A stand-in for spark-submit: an output folder with Spark's _SUCCESS marker and no result.
  const submit = join(dir, 'fake-spark-submit');
  writeFileSync(
    submit,
    '#!/bin/sh\nwhile [ "$1" != "--output" ]; do shift; done\nmkdir -p "$2" && touch "$2/_SUCCESS"\necho "plexus: results written to $2" >&2\n',
  );
  chmodSync(submit, 0o755);
  const result = spawnSync(
    process.execPath,
    [
      bin,
      'spark',
      'submit',
      'card.yaml',
      '--input',
      'items.jsonl',
      '--output',
      'out',
      '--spark-submit',
      submit,
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, MLFLOW_TRACKING_URI: '', PLEXUS_CACHE_DIR: join(dir, 'cache') },
    },
  );
  expect(result.stdout.split('\n')).toContain('0 items, 0 results, 0 errors, 0 rows skipped');
});
