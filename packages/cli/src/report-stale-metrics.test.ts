import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, writeScorePackage, writeSlowPackage } from './test-packages.js';

// A run's metrics.json is written when the run ends. A resume that scores a changed score again
// rewrites results.jsonl at once; when it then fails (a package's process.exit) or is killed,
// metrics.json is still the earlier end's: `plexus report` showed "200 in metrics, accuracy 1.000"
// for a results.jsonl that held none of those results.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-report-stale-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

function plexus(args: string[]) {
  const env = { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') };
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lines(run: string): number {
  const path = join(run, 'results.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
}

// Parity of the text; with `exit_after: N` the process exits in its batch N + 1.
writeScorePackage(
  project,
  'plexus-score-exits',
  `let batches = 0;
export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-exits',
  factories: [{
    specificationVersion: 'v1', kind: 'parity',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-exits/parity', name: env.name,
      labels: ['even', 'odd'], fingerprint: 'exits-' + settings.exit_after, maxBatchSize: 10,
      async doScore({ items }) {
        batches += 1;
        if (settings.exit_after !== undefined && batches > settings.exit_after) process.exit(0);
        return items.map((item) => ({ value: Number(item.text) % 2 ? 'odd' : 'even', status: 'ok' }));
      },
    }),
  }],
};
`,
);
writeSlowPackage(project);
const rows = Array.from(
  { length: 200 },
  (_, index) => `n${index},${index},${index % 2 ? 'odd' : 'even'}`,
);
write('numbers.csv', `id,text,Parity\n${rows.join('\n')}\n`);
const card = (name: string, settings: string) =>
  write(
    name,
    `name: Numbers\nscores:\n  - { name: Parity, class: ${settings}, labels: [even, odd] }\n`,
  );

describe('plexus report of a run whose resume did not end', () => {
  it('refuses a metrics.json counting other results than results.jsonl (a resume that failed)', () => {
    const run = join(project, 'failed');
    const first = card('whole.yaml', 'plexus-score-exits/parity');
    expect(plexus(['evaluate', first, '--data', 'numbers.csv', '--out', run, '--quiet']).code).toBe(
      0,
    );
    const again = card('exits.yaml', 'plexus-score-exits/parity, exit_after: 2');
    expect(plexus(['evaluate', again, '--resume', run]).code).toBe(1);
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    expect(info.status).toBe('failed');
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    // The premise: metrics.json counts the first end's 200 results, results.jsonl holds fewer.
    expect(metrics.scores.Parity.n_results).toBe(200);
    const onDisk = lines(run);
    expect(onDisk).toBeLessThan(200);
    const report = plexus(['report', run]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('metrics.json is not of the results in results.jsonl');
    expect(report.stderr).toContain(`Parity: 200 in metrics.json, ${onDisk} in results.jsonl`);
    expect(report.stderr).toContain(`--resume ${run}`);
    // mlflow sync logged those figures: refused before anything is sent (nothing listens there).
    const synced = spawnSync(process.execPath, [bin, 'mlflow', 'sync', run], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, MLFLOW_TRACKING_URI: 'http://127.0.0.1:9' },
    });
    expect(synced.stderr).toContain('metrics.json is not of the results in results.jsonl');
    expect(synced.stderr).toContain(`Parity: 200 in metrics.json, ${onDisk} in results.jsonl`);
    expect(synced.status).not.toBe(0);
  });

  it('refuses the metrics.json of an earlier end while a resume was killed', async () => {
    const run = join(project, 'killed');
    const fast = card('fast.yaml', 'plexus-score-slow/parity');
    expect(plexus(['evaluate', fast, '--data', 'numbers.csv', '--out', run, '--quiet']).code).toBe(
      0,
    );
    const slow = card('slow.yaml', 'plexus-score-slow/parity, delay_ms: 300');
    const child = spawn(process.execPath, [bin, 'evaluate', slow, '--resume', run, '--no-cache'], {
      cwd: project,
      env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') },
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const started = () => JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).ended_at === null;
    const deadline = Date.now() + 60_000;
    while (!(started() && lines(run) >= 10 && lines(run) < 200) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    await exited;
    expect(lines(run)).toBeLessThan(200);
    const report = plexus(['report', run]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('metrics.json is not of the results in results.jsonl');
    expect(report.stderr).toContain('a resume began and did not end');
  }, 90_000);
});
