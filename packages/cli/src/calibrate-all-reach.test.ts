import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain, writeEchoPackage } from './test-packages.js';

// `calibrate --target-precision` on a score right on every held-out answer said "confidence ≥
// 0.000 (... on 1672 of 1672 held-out answers); send the rest on with confidence_below: 0.000":
// there is no rest, and the threshold lets everything through.
const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-all-reach-'));
writeEchoPackage(project);
// Every answer right ("yes 0.8" answers yes at 0.8; gold yes), and one "no" row so that both
// labels occur.
const rows = Array.from({ length: 100 }, (_, index) => {
  const label = index % 10 === 0 ? 'no' : 'yes';
  return `i${index},${label} 0.${6 + (index % 4)},${label}`;
});
writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n',
);

describe('plexus calibrate --target-precision when every answer reaches it', () => {
  it('says no threshold is needed rather than suggesting one that keeps everything', async () => {
    const fitted = await runMain([
      'calibrate',
      card,
      '--score',
      'Echo',
      '--target-precision',
      '0.9',
      '--cache-dir',
      join(project, 'cache'),
    ]);
    expect(fitted.code, fitted.stderr).toBe(0);
    expect(fitted.stdout).toMatch(
      /precision ≥ 0\.9: confidence ≥ [0-9.]+ \(precision 1\.000 on 30 of 30 held-out answers\): every held-out answer reaches it, no threshold is needed/,
    );
    expect(fitted.stdout).not.toContain('send the rest on');
  });
});
