import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');

function plexus(args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, MLFLOW_TRACKING_URI: '' },
  });
}

it('trains the forest, then scores a seeded sample of the test set with the forest and MiniLM', () => {
  execFileSync(join(here, '../../scripts/fetch-minilm.sh'), [join(here, 'models/minilm')]);
  expect(
    plexus([
      'train',
      'scorecard.yaml',
      '--data',
      'data/train.csv',
      '--test-fraction',
      '0',
      '--quiet',
    ]),
  ).toMatch(/Intent Forest: trained on 10003 items, tested on 0/);
  const out = join(mkdtempSync(join(tmpdir(), 'plexus-banking-')), 'run');
  const summary = JSON.parse(
    plexus([
      'evaluate',
      'scorecard.yaml',
      '--sample',
      '300',
      '--seed',
      '1',
      '--out',
      out,
      '--json',
      '--no-cache',
    ]),
  );
  expect(summary).toMatchObject({ status: 'completed', items: 300, errors: 0 });
  expect(summary.scores['Intent Forest'].accuracy).toBeGreaterThan(0.75);
  expect(summary.scores['Intent MiniLM'].accuracy).toBeGreaterThan(0.85);
}, 900_000);
