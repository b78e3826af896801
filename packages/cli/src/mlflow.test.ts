import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { type MlflowServer, startMlflowServer } from '@plexus/mlflow-tracker/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cuttableLink, writeGatedPackage } from './mlflow-test-outage.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const spamDir = fileURLToPath(new URL('../../../examples/spam/', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-cli-mlflow-'));
writeGatedPackage(project);
let server: MlflowServer;

beforeAll(async () => {
  server = await startMlflowServer();
}, 900_000);
afterAll(() => server?.stop());

function env(uri = server.uri) {
  return {
    ...process.env,
    MLFLOW_TRACKING_URI: uri,
    PLEXUS_CACHE_DIR: join(project, 'cache'),
  };
}

function run(args: string[], uri = server.uri) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: env(uri),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `run` without blocking this process (the link to MLflow lives in it). */
async function runAsync(args: string[], uri: string) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: env(uri),
  });
  return { stdout, stderr };
}

it('finishes an evaluation locally when MLflow dies mid-run; sync then completes that one run', async () => {
  const gate = join(project, 'gate');
  // The CLI reaches MLflow through a link the test cuts: to the CLI, exactly a server that died
  // (connections refused), and "restarting" it takes no MLflow startup (10-60 s).
  const link = await cuttableLink(server.uri);
  writeFileSync(
    join(project, 'numbers.csv'),
    `id,text,Parity\n${Array.from({ length: 1500 }, (_, index) => `n${index},${index},${index % 2 ? 'odd' : 'even'}`).join('\n')}\n`,
  );
  writeFileSync(
    join(project, 'slow.yaml'),
    `name: Slow Parity\nscores:\n  - { name: Parity, class: plexus-score-gated/parity, labels: [even, odd], open_below: 100, gate: ${gate} }\n`,
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
    { cwd: project, env: env(link.uri) },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // Cut MLflow off once the run shows there (RUNNING). The items from 100 on wait for the gate,
  // which opens only after the cut: the evaluation cannot end before MLflow is gone.
  const client = new MlflowClient({ trackingUri: server.uri });
  // (Up to 60 s for a busy machine: the run waits at the gate, so waiting costs only the wait.)
  for (let attempt = 0; attempt < 600; attempt += 1) {
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
  await link.cut();
  writeFileSync(gate, '');
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  expect(stderr).toMatch(
    /MLflow: not logged \(.*\)\. The run is complete in run; log it later with: plexus mlflow sync run/,
  );

  await link.restore();
  const synced = await runAsync(['mlflow', 'sync', 'run'], link.uri);
  expect(synced.stderr).toBe('');
  expect(synced.stdout).toMatch(/^run: updated http/);
  expect((await runAsync(['mlflow', 'sync', 'run'], link.uri)).stdout).toMatch(/^run: unchanged/);
  await link.cut();
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

/** A spam forest scorecard, trained on examples/spam's test data and registered as champion. */
function trainChampion(file: string, name: string, key: string) {
  copyFileSync(join(spamDir, 'data/test.csv'), join(project, 'sms.csv'));
  writeFileSync(
    join(project, file),
    `name: ${name}\nkey: ${key}\nscores:\n  - { name: Spam Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: forest.json, trees: 10 }\n`,
  );
  return run(['train', file, '--data', 'sms.csv', '--register', '--alias', 'champion', '--quiet']);
}

it('train --register and mlflow register put models in the registry; scorecards load them by alias', () => {
  const trained = trainChampion('spam.yaml', 'Spam', 'spam');
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

it('spark submit hands its executors the registry version it loaded (--models), saying which', () => {
  copyFileSync(join(spamDir, 'data/test.csv'), join(project, 'sms.csv'));
  const onnx = join(spamDir, 'models/spam.onnx');
  run(['mlflow', 'register', onnx, '--name', 'spark-onnx', '--alias', 'champion']);
  writeFileSync(
    join(project, 'spark-registry.yaml'),
    'name: Spark Registry\nscores:\n  - { name: ONNX, class: onnx/classifier, labels: [spam, ham], label_column: label, model: "models:/spark-onnx@champion" }\n',
  );
  // A stand-in for spark-submit that keeps its arguments: the job's are what is checked here.
  const submit = join(project, 'fake-spark-submit');
  writeFileSync(submit, '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/spark-args"\nexit 1\n');
  chmodSync(submit, 0o755);
  const submitted = run([
    'spark',
    'submit',
    'spark-registry.yaml',
    ...['--input', 'sms.csv', '--output', 'spark-out', '--spark-submit', submit],
    ...['--tracker', 'local'],
  ]);
  expect(submitted.code).not.toBe(0);
  const file = join(project, 'cache/mlflow-models/spark-onnx/1/model.onnx');
  expect(submitted.stderr).toContain(
    `Spark Registry: models:/spark-onnx@champion is version 1 on every executor (${file})`,
  );
  const args = readFileSync(join(project, 'spark-args'), 'utf8').split('\n');
  // Every task loads the driver's download: executors never ask MLflow (they failed, asking none).
  expect(JSON.parse(args[args.indexOf('--models') + 1]!)).toEqual({
    'models:/spark-onnx@champion': file,
  });
  expect(readFileSync(file).equals(readFileSync(onnx))).toBe(true);
  // An alias onto a version that is not there (deleted): said with the versions there are.
  const moved = run(['mlflow', 'alias', 'spark-onnx', 'champion', '9']);
  expect(moved.code).toBe(1);
  expect(moved.stderr).toContain(
    'models:/spark-onnx/9: "spark-onnx" has no version 9 (deleted?); its versions: 1;',
  );
});

it('a sweep tracked in MLflow: one parent, a child per trial, the best registered as challenger beside the champion', async () => {
  const champion = trainChampion('tuned.yaml', 'Tuned Spam', 'tuned');
  expect(champion.stdout).toContain('registered models:/tuned.spam-forest/1 (@champion)');
  writeFileSync(
    join(project, 'grid.yaml'),
    'metric: f1_macro\nvalidation: { holdout: 0.25 }\nparameters:\n  trees: [5, 15]\n  max_depth: [null, 6]\n  class_weight: [none, balanced]\n',
  );
  const swept = run([
    'train',
    'tuned.yaml',
    '--data',
    'sms.csv',
    '--sweep',
    'grid.yaml',
    '--sweep-dir',
    'grid-sweep',
  ]);
  expect(swept.stderr).not.toContain('MLflow:');
  expect(swept.code).toBe(0);
  expect(swept.stdout).toContain('Registered models:/tuned.spam-forest/2 as @challenger');
  expect(swept.stdout).toContain(
    '@champion stays at version 1; promote after comparing: plexus mlflow alias tuned.spam-forest champion 2',
  );

  const client = new MlflowClient({ trackingUri: server.uri });
  const experiment = await client.getExperimentByName('plexus/Tuned Spam');
  const parents = await client.findRunsByTag(experiment!.experiment_id, 'plexus.kind', 'sweep');
  expect(parents).toHaveLength(1);
  const parentId = parents[0]!.info.run_id;
  const parent = await client.getRun(parentId);
  expect(parent.info.status).toBe('FINISHED');
  const children = await client.findRunsByTag(
    experiment!.experiment_id,
    'mlflow.parentRunId',
    parentId,
  );
  expect(children).toHaveLength(8);
  const info = JSON.parse(readFileSync(join(project, 'grid-sweep/sweep.json'), 'utf8'));
  const bestRunId = parent.data?.tags?.find((tag) => tag.key === 'plexus.best_run_id')?.value;
  expect(bestRunId).toBeDefined();
  const bestRun = await client.getRun(String(bestRunId));
  expect(bestRun.data?.tags?.find((tag) => tag.key === 'plexus.trial')?.value).toBe(
    String(info.best.trial),
  );
  const bestParams = Object.fromEntries(
    (bestRun.data?.params ?? []).map((param) => [param.key, param.value]),
  );
  expect(Object.keys(bestParams)).toEqual(
    expect.arrayContaining(['trees', 'max_depth', 'class_weight', 'model_sha256']),
  );
  const metric = (run: typeof parent, key: string) =>
    run.data?.metrics?.find((entry) => entry.key === key)?.value;
  expect(metric(bestRun, 'cv_f1_macro')).toBeCloseTo(info.best.metric, 9);
  expect(metric(parent, 'best_cv_f1_macro')).toBeCloseTo(info.best.metric, 9);
  expect(metric(parent, 'test_accuracy')).toBeGreaterThan(0.9);
  expect(metric(bestRun, 'duration_s')).toBeGreaterThan(0);
  const challenger = await client.getModelVersionByAlias('tuned.spam-forest', 'challenger');
  expect(challenger).toMatchObject({ version: '2', run_id: bestRun.info.run_id });
  expect((await client.getModelVersionByAlias('tuned.spam-forest', 'champion')).version).toBe('1');

  const promoted = run(['mlflow', 'alias', 'tuned.spam-forest', 'champion', '2']);
  expect(promoted.stdout).toBe('tuned.spam-forest@champion: version 1 -> 2\n');
  expect((await client.getModelVersionByAlias('tuned.spam-forest', 'champion')).version).toBe('2');
}, 900_000);
