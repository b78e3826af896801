import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');

describe('examples/call-center-qa', () => {
  it('evaluates every call with the rule scores and the hand-made labels', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'plexus-example-')), 'run');
    const stdout = execFileSync(
      process.execPath,
      [cli, 'evaluate', join(here, 'scorecard.yaml'), '--out', out, '--json', '--no-cache'],
      {
        encoding: 'utf8',
      },
    );
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ status: 'completed', items: 88, errors: 0, malformedRows: 0 });
    expect(summary.results).toBe(88 * 6);
    // By hand, 2 calls are "no": one never names the bank, one says "happy valley national bank",
    // which is close enough to pass the fuzzy threshold: the rule gets 87 of 88.
    expect(summary.scores.Greeting.n).toBe(88);
    expect(summary.scores.Greeting.accuracy).toBeCloseTo(87 / 88, 12);
    expect(summary.scores['Asks How To Help'].accuracy).toBe(1);
    expect(summary.scores['About Card'].accuracy).toBeGreaterThan(0.9);
    // Asks Which Card runs only on the 12 card calls; the other 76 are skipped by its condition.
    expect(summary.scores['Asks Which Card']).toMatchObject({ n_unlabeled: 12, n_skipped: 76 });
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const greeting = lines.find(
      (line) => line.item_id === '03a17cc36d474151' && line.score === 'Greeting',
    );
    expect(greeting?.explanation ?? '').toMatch(/fuzzy/);
  });

  it('validates', () => {
    const result = spawnSync(process.execPath, [cli, 'validate', join(here, 'scorecard.yaml')], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/valid scorecard "Call Center QA" with 6 scores/);
  });
});
