import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { type MlflowServer, startMlflowServer } from '@plexus/mlflow-tracker/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSlowPackage } from './test-packages.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const spamDir = fileURLToPath(new URL('../../../examples/spam/', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-cli-mlflow-'));
writeSlowPackage(project);
let server: MlflowServer;

beforeAll(async () => {
  server = await startMlflowServer();
}, 900_000);
afterAll(() => server?.stop());

function env() {
  return {
    ...process.env,
    MLFLOW_TRACKING_URI: server.uri,
    PLEXUS_CACHE_DIR: join(project, 'cache'),
  };
}

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: env(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('finishes an evaluation locally when MLflow dies mid-run; sync then completes that one run', async () => {
  writeFileSync(
    join(project, 'numbers.csv'),
    `id,text,Parity\n${Array.from({ length: 1500 }, (_, index) => `n${index},${index},${index % 2 ? 'odd' : 'even'}`).join('\n')}\n`,
  );
  writeFileSync(
    join(project, 'slow.yaml'),
    'name: Slow Parity\nscores:\n  - { name: Parity, class: plexus-score-slow/parity, labels: [even, odd], delay_ms: 40 }\n',
  );
  const child = spawn(
    process.execPath,
    [
      bin,
      'evaluate',
      'slow.yaml',
      '--data',
      'numbers.csv',
      '--out',
      'run',
      '--no-cache',
      '--concurrency',
      '1',
    ],
    { cwd: project, env: env() },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // Kill the server once the run shows in MLflow (RUNNING), well before the evaluation ends.
  const client = new MlflowClient({ trackingUri: server.uri });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const experiment = await client.getExperimentByName('plexus/Slow Parity');
    if (
      experiment &&
      (await client.findRunsByTag(experiment.experiment_id, 'plexus.scorecard', 'Slow Parity'))
        .length > 0
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(child.exitCode).toBeNull();
  server.kill();
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  expect(stderr).toMatch(
    /MLflow: not logged \(.*\)\. The run is complete in run; log it later with: plexus mlflow sync run/,
  );

  await server.restart();
  const synced = run(['mlflow', 'sync', 'run']);
  expect(synced.stderr).toBe('');
  expect(synced.stdout).toMatch(/^run: updated http/);
  expect(run(['mlflow', 'sync', 'run']).stdout).toMatch(/^run: unchanged/);
  const experiment = await client.getExperimentByName('plexus/Slow Parity');
  const runs = await client.findRunsByTag(
    experiment!.experiment_id,
    'plexus.scorecard',
    'Slow Parity',
  );
  expect(runs).toHaveLength(1);
  const stored = await client.getRun(runs[0]!.info.run_id);
  expect(stored.info.status).toBe('FINISHED');
  expect(stored.data?.metrics?.find((metric) => metric.key === 'Parity.accuracy')?.value).toBe(1);
}, 900_000);

it('train --register and mlflow register put models in the registry; scorecards load them by alias', () => {
  copyFileSync(join(spamDir, 'data/test.csv'), join(project, 'sms.csv'));
  writeFileSync(
    join(project, 'spam.yaml'),
    'name: Spam\nkey: spam\nscores:\n  - { name: Spam Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: forest.json, trees: 10 }\n',
  );
  const trained = run([
    'train',
    'spam.yaml',
    '--data',
    'sms.csv',
    '--register',
    '--alias',
    'champion',
    '--quiet',
  ]);
  expect(trained.code).toBe(0);
  expect(trained.stdout).toContain('registered models:/spam.spam-forest/1 (@champion)');
  const registered = run([
    'mlflow',
    'register',
    join(spamDir, 'models/spam.onnx'),
    '--name',
    'spam-onnx',
    '--alias',
    'champion',
  ]);
  expect(registered.stdout).toBe(
    'registered spam-onnx version 1 as @champion: models:/spam-onnx/1\n',
  );
  writeFileSync(
    join(project, 'registry.yaml'),
    'name: Registry\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: "models:/spam.spam-forest@champion" }\n  - { name: ONNX, class: onnx/classifier, labels: [spam, ham], label_column: label, model: "models:/spam-onnx@champion" }\n',
  );
  const evaluated = run([
    'evaluate',
    'registry.yaml',
    '--data',
    'sms.csv',
    '--json',
    '--tracker',
    'local',
  ]);
  expect(evaluated.code).toBe(0);
  const summary = JSON.parse(evaluated.stdout);
  expect(summary.scores.ONNX.accuracy).toBeGreaterThan(0.97);
  expect(summary.scores.Forest.n).toBe(1114);
}, 900_000);
