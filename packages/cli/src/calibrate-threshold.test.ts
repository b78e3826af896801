import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { runMain, writeEchoPackage } from './test-packages.js';

// calibrate --target-precision prints the confidence threshold to put in `confidence_below`. It
// printed 3 decimals: a Platt map's threshold 0.98749 read 0.987, a value the score never gives,
// below the one the precision was measured from.
const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-threshold-'));
// A score that answers the label and confidence written in the text ("yes 0.83").
writeEchoPackage(project);
const random = seededRandom(5);
const rows = Array.from({ length: 300 }, (_, index) => {
  const confidence = Math.round((0.5 + random() * 0.5) * 100) / 100;
  return `i${index},yes ${confidence},${random() < confidence * confidence ? 'yes' : 'no'}`;
});
writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n',
);

const plexus = runMain;

describe('plexus calibrate --target-precision', () => {
  it('prints a threshold the calibrated score gives, to the last digit', async () => {
    const cacheDir = join(project, 'cache');
    const fitted = await plexus([
      'calibrate',
      card,
      '--score',
      'Echo',
      '--method',
      'platt',
      '--target-precision',
      '0.7',
      '--cache-dir',
      cacheDir,
    ]);
    expect(fitted.code).toBe(0);
    const match = /confidence ≥ ([0-9.]+) \(precision .*confidence_below: ([0-9.]+)$/m.exec(
      fitted.stdout,
    );
    expect(match, fitted.stdout).not.toBeNull();
    expect(match![2]).toBe(match![1]);
    // The score, calibrated from now on: the threshold is one of the confidences it gives.
    const run = join(project, 'run');
    expect(
      (await plexus(['evaluate', card, '--out', run, '--quiet', '--cache-dir', cacheDir])).code,
    ).toBe(0);
    const confidences = readFileSync(join(run, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { confidence: number }).confidence);
    expect(confidences).toContain(Number(match![1]));
  });
});
