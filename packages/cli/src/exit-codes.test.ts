import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileWriter, writeScorePackage } from './test-packages.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-exit-codes-'));
const write = fileWriter(project);

// A third-party score that answers the parity of the text, and fails (status error) on every
// `fail_every`-th number: a score that fails on some items, as a flaky service does.
writeScorePackage(
  project,
  'plexus-score-flaky',
  `export const plugin = {
  specificationVersion: 'v1',
  name: 'plexus-score-flaky',
  factories: [{
    specificationVersion: 'v1',
    kind: 'parity',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-flaky/parity', name: env.name,
      labels: ['even', 'odd'], fingerprint: 'flaky-' + settings.fail_every,
      async doScore({ items }) {
        return items.map((item) => {
          const number = Number(item.text);
          if (settings.fail_every > 0 && number % settings.fail_every === 0)
            return { value: null, status: 'error', error: { message: 'HTTP 500 from the service' } };
          return { value: number % 2 ? 'odd' : 'even', status: 'ok' };
        });
      },
    }),
  }],
};
`,
);

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// 40 numbers 1..40 with their parity as gold.
const numbers = write(
  'numbers.csv',
  `id,text,Parity\n${Array.from({ length: 40 }, (_, index) => `n${index + 1},${index + 1},${(index + 1) % 2 ? 'odd' : 'even'}`).join('\n')}\n`,
);
const empty = write('empty.csv', 'id,text,Parity\n');

function card(failEvery: number): string {
  return write(
    `flaky-${failEvery}.yaml`,
    `name: Flaky\nscores:\n  - { name: Parity, class: plexus-score-flaky/parity, labels: [even, odd], fail_every: ${failEvery} }\n`,
  );
}

function evaluate(failEvery: number, out: string, ...extra: string[]) {
  return run([
    'evaluate',
    card(failEvery),
    '--data',
    numbers,
    '--out',
    join(project, out),
    ...extra,
  ]);
}

describe('exit codes', () => {
  it('exits 3 naming the score when every item failed', () => {
    const result = evaluate(1, 'all-failed', '--quiet');
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(
      'Run completed, exit 3: score "Parity" failed on 40 of 40 items due an answer (100.0%), above --max-error-rate 0.1',
    );
    expect(result.stderr).toContain('--retry-errors');
  });

  it('exits 0 under the error rate and shows coverage and accuracy counting errors', () => {
    // Fails on 20 and 40: 2 of 40 items (5%), both even; the 38 answers are right.
    const result = evaluate(20, 'few-failed');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Parity: 2 errors of 40 items due an answer; coverage 95.0%; accuracy counting errors as wrong 0.950',
    );
    const metrics = JSON.parse(readFileSync(join(project, 'few-failed', 'metrics.json'), 'utf8'));
    expect(metrics.scores.Parity).toMatchObject({ n: 38, accuracy: 1, n_errors: 2 });
    expect(metrics.scores.Parity.coverage).toBeCloseTo(38 / 40, 12);
    expect(metrics.scores.Parity.accuracy_counting_errors).toBeCloseTo(38 / 40, 12);
  });

  it('exits 3 above a stricter --max-error-rate, and the JSON summary carries the new fields', () => {
    const result = evaluate(20, 'strict', '--json', '--max-error-rate', '0.04');
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(
      'score "Parity" failed on 2 of 40 items due an answer (5.0%), above --max-error-rate 0.04',
    );
    const summary = JSON.parse(result.stdout);
    expect(summary.scores.Parity.coverage).toBeCloseTo(0.95, 12);
    expect(summary.scores.Parity.accuracy_counting_errors).toBeCloseTo(0.95, 12);
  });

  it('exits 3 when the dataset had no items, and 2 for a bad --max-error-rate', () => {
    const none = run([
      'evaluate',
      card(0),
      '--data',
      empty,
      '--out',
      join(project, 'none'),
      '--quiet',
    ]);
    expect(none.code, none.stderr).toBe(3);
    expect(none.stderr).toContain('the dataset had no items');
    const bad = evaluate(0, 'bad-rate', '--max-error-rate', '1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-error-rate');
    expect(evaluate(0, 'clean', '--quiet').code).toBe(0);
  });

  it('documents the exit codes and --max-error-rate in --help', () => {
    for (const command of [['evaluate'], ['spark', 'submit']]) {
      const help = run([...command, '--help']).stdout;
      expect(help).toContain('--max-error-rate <share>');
      expect(help).toMatch(/Exit codes: 0 done .*; 1 the run failed .*\n2 bad input .*; 3 the run/);
    }
  });

  it('compare counts errors as wrong, shows them per run, and leaves them out with --errors exclude', () => {
    evaluate(20, 'compare-a', '--quiet');
    evaluate(0, 'compare-b', '--quiet');
    const runs = [join(project, 'compare-a'), join(project, 'compare-b')];
    const counted = run(['compare', ...runs]);
    expect(counted.code, counted.stderr).toBe(0);
    expect(counted.stdout).toContain('Parity: 40 items scored by both (an error counts as wrong)');
    expect(counted.stdout).toContain('errors    A 2  B 0');
    expect(counted.stdout).toContain('accuracy  A 0.950  B 1.000');
    const excluded = JSON.parse(run(['compare', ...runs, '--errors', 'exclude', '--json']).stdout);
    expect(excluded.errors).toBe('exclude');
    expect(excluded.scores[0]).toMatchObject({ n: 38, errors_a: 2, errors_b: 0, accuracy_a: 1 });
    const bad = run(['compare', ...runs, '--errors', 'ignore']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--errors: expected wrong or exclude');
  });
});
