// `plexus optimize --tracker mlflow` against a real MLflow server: a parent run with per-round
// metrics and a child run per candidate.
import { join } from 'node:path';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { type MlflowServer, startMlflowServer } from '@plexus/mlflow-tracker/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, prizePrompt, project, readLog } from './optimize-project.js';

let mlflow: MlflowServer;
beforeAll(async () => {
  mlflow = await startMlflowServer();
}, 900_000);
afterAll(() => mlflow?.stop());
afterEach(closeServers);

it('records a parent run and a child run per candidate, with the holdout p-value', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam'), edit('', 'an empty prompt')] },
    { candidates: [] },
  ]);
  const result = await runCli([...args('out'), '--tracker', 'mlflow'], {
    ...env,
    MLFLOW_TRACKING_URI: mlflow.uri,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toContain('MLflow:');
  const log = readLog(join(dir, 'out'));
  const client = new MlflowClient({ trackingUri: mlflow.uri });
  const experiment = await client.getExperimentByName('plexus/spam');
  const parents = await client.findRunsByTag(experiment!.experiment_id, 'plexus.kind', 'optimize');
  expect(parents).toHaveLength(1);
  const parent = parents[0]!;
  expect(parent.info.status).toBe('FINISHED');
  const param = (key: string) => parent.data?.params?.find((entry) => entry.key === key)?.value;
  expect(param('optimizer_provider')).toBe('openai');
  expect(param('optimizer_model')).toBe('test-optimizer');
  const children = await client.findRunsByTag(
    experiment!.experiment_id,
    'mlflow.parentRunId',
    parent.info.run_id,
  );
  // Round 1: the accepted edit and the dropped one; round 2 had no candidates.
  expect(children).toHaveLength(2);
  const accepted = children.find((run) =>
    run.data?.tags?.some((tag) => tag.key === 'plexus.outcome' && tag.value === 'accepted'),
  );
  const p = accepted?.data?.metrics?.find((metric) => metric.key === 'mcnemar_p')?.value;
  expect(p).toBeCloseTo(log.rounds[0]!.p_value!, 10);
  const dropped = children.find((run) =>
    run.data?.tags?.some((tag) => tag.key === 'plexus.outcome' && tag.value === 'dropped'),
  );
  expect(dropped?.data?.params?.find((param) => param.key === 'dropped')?.value).toContain(
    'does not validate',
  );
  expect(JSON.stringify(parents)).not.toContain('sk-test-optimize');
}, 900_000);
