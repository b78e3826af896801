// `plexus optimize --tracker mlflow`: the parent run's per-round metrics against changelog.json,
// read back from a real MLflow server's metric history.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { type MlflowServer, startMlflowServer } from '@plexus/mlflow-tracker/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, prizePrompt, project, rarePrompt } from './optimize-project.js';

let mlflow: MlflowServer;
beforeAll(async () => {
  mlflow = await startMlflowServer();
}, 900_000);
afterAll(() => mlflow?.stop());
afterEach(closeServers);

interface Round {
  outcome: string;
  metrics: {
    train: { current: number; candidate: number | null };
    validation: { current: number; candidate: number | null };
    holdout: { current: number | null; candidate: number | null };
  };
  p_value: number | null;
  generalisation_gap: number | null;
}

/** A metric's value per step (round), from MLflow's REST history. */
async function history(runId: string, key: string): Promise<Map<number, number>> {
  const url = `${mlflow.uri}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${key}`;
  const body = (await (await fetch(url)).json()) as { metrics?: { step: number; value: number }[] };
  return new Map((body.metrics ?? []).map((metric) => [metric.step, metric.value]));
}

it("logs each round's figures of the version kept after it, as changelog.json has them", async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
    { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
  ]);
  const result = await runCli([...args('out'), '--tracker', 'mlflow'], {
    ...env,
    MLFLOW_TRACKING_URI: mlflow.uri,
  });
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as {
    rounds: Round[];
    spent_usd: number;
  };
  const client = new MlflowClient({ trackingUri: mlflow.uri });
  const experiment = await client.getExperimentByName('plexus/spam');
  const [parent] = await client.findRunsByTag(experiment!.experiment_id, 'plexus.kind', 'optimize');
  const runId = parent!.info.run_id;
  const keys = ['train_accuracy', 'validation_accuracy', 'holdout_accuracy', 'generalisation_gap'];
  const logged = Object.fromEntries(
    await Promise.all(keys.map(async (key) => [key, await history(runId, key)] as const)),
  );
  for (const [index, round] of log.rounds.entries()) {
    const step = index + 1;
    const kept = round.outcome === 'accepted' ? 'candidate' : 'current';
    // Before: round 1 logged the old version's train accuracy (0.421) beside the new one's
    // holdout (0.842): train minus holdout was -0.42 where the gap logged was 0.140.
    expect(logged.train_accuracy!.get(step)).toBeCloseTo(round.metrics.train[kept]!, 12);
    expect(logged.validation_accuracy!.get(step)).toBeCloseTo(round.metrics.validation[kept]!, 12);
    expect(logged.holdout_accuracy!.get(step)).toBeCloseTo(round.metrics.holdout[kept]!, 12);
    expect(logged.generalisation_gap!.get(step)).toBeCloseTo(round.generalisation_gap!, 12);
    expect(logged.train_accuracy!.get(step)! - logged.holdout_accuracy!.get(step)!).toBeCloseTo(
      round.generalisation_gap!,
      12,
    );
  }
  expect(log.rounds.map((round) => round.outcome)).toEqual([
    'accepted',
    'no significant improvement',
  ]);
  const spent = await history(runId, 'spent_usd');
  expect(spent.get(log.rounds.length)).toBeCloseTo(log.spent_usd, 12);
}, 900_000);
