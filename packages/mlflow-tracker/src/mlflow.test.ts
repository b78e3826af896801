import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as forestPlugin } from '@plexus/classifier-forest';
import { plugin as onnxPlugin } from '@plexus/classifier-onnx';
import { evaluate, loadScorecard, type RunMetricsFile, train } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { registerModel } from './model-registry.js';
import { mlflowModelResolver, resolveModelUri } from './model-resolver.js';
import { syncRun } from './run-sync.js';
import { runMetrics } from './run-values.js';

const canary = 'sk-canary-7c1f0e4b9d2a';
const spamOnnx = fileURLToPath(new URL('../../../examples/spam/models/spam.onnx', import.meta.url));
const spamTest = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));
// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');
let client: MlflowClient;

beforeAll(async () => {
  // Secrets a user has around: the token goes in a header, never into params, tags or artifacts.
  process.env.MLFLOW_TRACKING_TOKEN = canary;
  process.env.OPENAI_API_KEY = canary;
  client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
});

afterAll(async () => {
  delete process.env.MLFLOW_TRACKING_TOKEN;
  delete process.env.OPENAI_API_KEY;
});

async function evaluationRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-run-'));
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Spam Check\nscores:\n  - { name: Free, class: test/contains, word: free, labels: [spam, ham], label_column: label }\n  - { name: Call Me, class: test/contains, word: call, labels: [spam, ham], label_column: label }\n',
  );
  const scorecard = await loadScorecard(card, { plugins: [testPlugin] });
  const summary = await evaluate({
    scorecard,
    data: spamTest,
    outDir: join(dir, 'run'),
    cache: false,
  });
  expect(summary.status).toBe('completed');
  return join(dir, 'run');
}

describe('mlflow-tracker against a real MLflow server', () => {
  it('syncs a run: every metric equal, artifacts byte-identical, the dataset as input, once', async () => {
    const dir = await evaluationRun();
    const first = await syncRun(dir, { client });
    expect(first.action).toBe('created');
    const again = await syncRun(dir, { client });
    expect(again).toMatchObject({ action: 'unchanged', runId: first.runId });
    expect(
      await client.findRunsByTag(
        first.experimentId,
        'plexus.run_id',
        JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).id,
      ),
    ).toHaveLength(1);

    const run = await client.getRun(first.runId);
    expect(run.info.status).toBe('FINISHED');
    const logged = new Map((run.data?.metrics ?? []).map((metric) => [metric.key, metric.value]));
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    const expected = runMetrics(info, metrics, 0);
    expect(expected.length).toBeGreaterThan(40);
    for (const metric of expected) expect(logged.get(metric.key)).toBe(metric.value);
    expect(logged.get('Free.accuracy')).toBe(metrics.scores.Free!.accuracy);
    expect(logged.get('Call Me.f1_macro')).toBe(metrics.scores['Call Me']!.f1!.macro);
    expect(logged.get('Free.gwet_ac1')).toBe(metrics.scores.Free!.gwet_ac1);

    const params = new Map((run.data?.params ?? []).map((param) => [param.key, param.value]));
    expect(params.get('scorecard.name')).toBe('Spam Check');
    expect(params.get('score.Free.class')).toBe('test/contains');
    expect(run.inputs?.dataset_inputs?.[0]?.dataset).toMatchObject({ name: 'test.csv' });

    const files = readdirSync(dir).sort();
    const listed = (await client.listArtifacts(run.info.artifact_uri))
      .map((file) => file.path)
      .sort();
    expect(listed).toEqual(files);
    for (const file of files) {
      const downloaded = await client.downloadArtifact(run.info.artifact_uri, file);
      expect(Buffer.from(downloaded).equals(readFileSync(join(dir, file)))).toBe(true);
    }
    const everything =
      JSON.stringify(run) + files.map((file) => readFileSync(join(dir, file), 'utf8')).join('');
    expect(everything).not.toContain(canary);
  });

  it('registers ONNX and forest models with aliases; models:/ URIs score like the local files', async () => {
    const version = await registerModel({
      client,
      file: spamOnnx,
      name: 'spam-onnx',
      alias: 'champion',
      metrics: { accuracy: 0.978 },
    });
    expect(version.version).toBe('1');
    const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-cache-'));
    const local = await resolveModelUri('models:/spam-onnx@champion', { client, cacheDir });
    expect(readFileSync(local).equals(readFileSync(spamOnnx))).toBe(true);
    expect(await resolveModelUri('models:/spam-onnx/1', { client, cacheDir })).toBe(local);

    // A forest trained here, registered, then loaded back through the registry.
    const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-forest-'));
    copyFileSync(spamOnnx, join(dir, 'spam.onnx'));
    writeFileSync(
      join(dir, 'card.yaml'),
      'name: Spam\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: spam.forest.json, trees: 10 }\n',
    );
    const trainable = await loadScorecard(join(dir, 'card.yaml'), {
      create: false,
      plugins: [forestPlugin],
    });
    const [trained] = await train({ scorecard: trainable, data: spamTest, testFraction: 0 });
    await registerModel({
      client,
      file: trained!.modelPath,
      name: 'spam-forest',
      alias: 'champion',
    });
    writeFileSync(
      join(dir, 'both.yaml'),
      `name: Both\nscores:\n${[
        '{ name: Local Forest, class: forest/random-forest, labels: [spam, ham], model: spam.forest.json }',
        '{ name: Registry Forest, class: forest/random-forest, labels: [spam, ham], model: "models:/spam-forest@champion" }',
        '{ name: Local ONNX, class: onnx/classifier, labels: [spam, ham], model: spam.onnx }',
        '{ name: Registry ONNX, class: onnx/classifier, labels: [spam, ham], model: "models:/spam-onnx@champion" }',
      ]
        .map((score) => `  - ${score}`)
        .join('\n')}\n`,
    );
    const both = await loadScorecard(join(dir, 'both.yaml'), {
      plugins: [forestPlugin, onnxPlugin],
      resolveModel: mlflowModelResolver({ trackingUri: server.uri, cacheDir }),
    });
    const summary = await evaluate({
      scorecard: both,
      data: spamTest,
      outDir: join(dir, 'run'),
      cache: false,
    });
    // Every field of each answer (value, confidence, probabilities, explanation, trace), not the
    // time it took nor the item's text (kept on one line per item, whichever score's). The ONNX
    // explanation names the file it loaded: spam.onnx here, the registry's download model.onnx.
    const values = new Map<string, string>();
    for (const line of readFileSync(join(dir, 'run/results.jsonl'), 'utf8').trim().split('\n')) {
      const {
        item_id,
        score,
        latency_ms: _ms,
        text: _text,
        text_length: _length,
        ...rest
      } = JSON.parse(line);
      rest.explanation = rest.explanation?.replace(/ from (spam|model)\.onnx$/, ' from FILE');
      values.set(`${score}|${item_id}`, JSON.stringify(rest));
    }
    expect(summary.items).toBe(1114);
    expect(values.size).toBe(4 * 1114);
    for (const kind of ['Forest', 'ONNX'])
      for (const [key, value] of values)
        if (key.startsWith(`Local ${kind}|`))
          expect(values.get(key.replace('Local', 'Registry'))).toBe(value);
  });

  it("loads a registered ONNX model with Python's mlflow.onnx.load_model", () => {
    const output = execFileSync(
      server.python,
      [
        '-c',
        'import mlflow.onnx; m = mlflow.onnx.load_model("models:/spam-onnx@champion"); print([i.name for i in m.graph.input])',
      ],
      { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: server.uri } },
    );
    expect(output.trim()).toBe("['text']");
  }, 120_000);

  it('says so clearly when the server is unreachable', async () => {
    const down = new MlflowClient({
      trackingUri: 'http://127.0.0.1:9',
      attempts: 2,
      retryDelayMs: 10,
    });
    await expect(down.ensureExperiment('x')).rejects.toThrow(
      /unreachable .*sync it later with plexus mlflow sync/,
    );
  });
});
