import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const sms = fileURLToPath(
  new URL('../../classifier-forest/fixtures/sms-1200.csv', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'plexus-sweep-'));
const env = { ...process.env, PLEXUS_CACHE_DIR: join(dir, 'cache'), MLFLOW_TRACKING_URI: '' };
writeFileSync(
  join(dir, 'spam.yaml'),
  'name: Spam\nscores:\n  - name: spam\n    class: forest/random-forest\n    label_column: label\n    labels: [spam, ham]\n    model: models/spam.json\n',
);
writeFileSync(
  join(dir, 'sweep.yaml'),
  'method: grid\nmetric: f1_macro\nvalidation: { folds: 3 }\nparameters:\n  trees: [40, 80]\n  min_samples_leaf: [1, 3]\n  features.word_ngrams: [[1, 1], [1, 2]]\n',
);
const sweepArgs = ['train', 'spam.yaml', '--data', sms, '--sweep', 'sweep.yaml'];

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function trialLines(text: string): number[] {
  return [...text.matchAll(/^trial (\d+)\/8:/gm)].map((match) => Number(match[1]));
}

it('a sweep interrupted by Ctrl-C resumes without running finished trials again', async () => {
  const child = spawn(process.execPath, [bin, ...sweepArgs, '--sweep-dir', 'sweep-1'], {
    cwd: dir,
    env,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (trialLines(stderr).length === 2 && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code).toBe(1);
  const folder = join(dir, 'sweep-1');
  const recorded = () =>
    readFileSync(join(folder, 'trials.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).trial as number);
  const before = recorded();
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect(stderr).toContain(`Sweep interrupted after ${before.length} trials; continue it with:`);
  expect(JSON.parse(readFileSync(join(folder, 'sweep.json'), 'utf8')).status).toBe('interrupted');

  const resumed = run([...sweepArgs, '--resume', 'sweep-1']);
  expect(resumed.code).toBe(0);
  // Only the trials not recorded before ran, each once.
  expect(trialLines(resumed.stderr).sort()).toEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].filter((trial) => !before.includes(trial)),
  );
  expect(recorded().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const info = JSON.parse(readFileSync(join(folder, 'sweep.json'), 'utf8'));
  expect(info).toMatchObject({ status: 'completed', trials: 8, metric: 'f1_macro' });
  expect(resumed.stdout).toMatch(
    /Sweep of spam: 8 trials by f1_macro \(3-fold on 960 training items\)/,
  );
  expect(resumed.stdout).toContain(`Best: trial ${info.best.trial}, retrained on all 960`);
  expect(resumed.stdout).toMatch(
    /Held-out test metrics \(240 items\):\n[^\n]+\n[─ ]+\nspam +240 +0\.9\d\d/,
  );
  // The table: best first, one row per trial.
  const table = readFileSync(join(folder, 'trials.csv'), 'utf8').trim().split('\n');
  expect(table).toHaveLength(9);
  expect(table[0]).toMatch(
    /^trial,status,f1_macro,f1_macro_std,trees,min_samples_leaf,features\.word_ngrams,/,
  );
  expect(table[1]!.split(',')[0]).toBe(String(info.best.trial));
  const model = JSON.parse(readFileSync(info.best.model, 'utf8'));
  expect(model.training.items).toBe(960);
}, 300_000);

it('a sweep value the score rejects fails before any training, naming the trial', () => {
  writeFileSync(join(dir, 'bad.yaml'), 'parameters:\n  trees: [10, 0]\n');
  const bad = run([
    'train',
    'spam.yaml',
    '--data',
    sms,
    '--sweep',
    'bad.yaml',
    '--sweep-dir',
    'bad',
  ]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/bad\.yaml: parameters\.trees: trial 2 \(\{"trees":0\}\): .*>=1/);
  const resumeWithout = run(['train', 'spam.yaml', '--data', sms, '--resume', 'bad']);
  expect(resumeWithout.code).toBe(2);
  expect(resumeWithout.stderr).toContain('--resume: only with --sweep FILE');
});
