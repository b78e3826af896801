// `plexus optimize --tracker mlflow` against one real MLflow server (each test its own experiment,
// `plexus/<scorecard file>`; one server start instead of three): a parent run with per-round
// metrics and a child run per candidate; the parent's per-round metrics against changelog.json;
// and a run killed after a round was written to the changelog and before MLflow had it all (a
// slow MLflow: a proxy that answers each request 400 ms late), then resumed: MLflow ends with
// every round and candidate of changelog.json, each once.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { type MlflowServer, startMlflowServer } from '@plexus/mlflow-tracker/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runCli, sleep, startCli } from './harness.js';
import {
  closeServers,
  edit,
  prizePrompt,
  project,
  rarePrompt,
  readLog,
} from './optimize-project.js';

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

/** A proxy to MLflow that forwards each request `delayMs` late. */
async function slowProxy(
  target: string,
  delayMs: number,
): Promise<{ url: string; server: Server }> {
  const to = new URL(target);
  const server = createServer((incoming, outgoing) => {
    setTimeout(() => {
      const forward = httpRequest(
        {
          host: to.hostname,
          port: to.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

function roundsIn(out: string): number {
  const path = join(out, 'changelog.json');
  if (!existsSync(path)) return 0;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { rounds: unknown[] }).rounds.length;
  } catch {
    return 0; // being written
  }
}

it('records a parent run and a child run per candidate, with the holdout p-value', async () => {
  const { args, env, dir } = await project(
    [
      { candidates: [edit(prizePrompt, 'name prize offers as spam'), edit('', 'an empty prompt')] },
      { candidates: [] },
    ],
    0,
    false,
    false,
    'parent',
  );
  const result = await runCli([...args('out'), '--tracker', 'mlflow'], {
    ...env,
    MLFLOW_TRACKING_URI: mlflow.uri,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toContain('MLflow:');
  const log = readLog(join(dir, 'out'));
  const client = new MlflowClient({ trackingUri: mlflow.uri });
  const experiment = await client.getExperimentByName('plexus/parent');
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

it("logs each round's figures of the version kept after it, as changelog.json has them", async () => {
  const { args, env, dir } = await project(
    [
      { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
      { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
    ],
    0,
    false,
    false,
    'metrics',
  );
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
  const experiment = await client.getExperimentByName('plexus/metrics');
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

it('records in MLflow, on --resume, the round a kill left out of it', async () => {
  const { args, env, dir } = await project(
    [
      { candidates: [edit(prizePrompt, 'name prize offers as spam'), edit('', 'an empty prompt')] },
      { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
    ],
    0,
    false,
    false,
    'resume',
  );
  const out = join(dir, 'out');
  const proxy = await slowProxy(mlflow.uri, 400);
  const run = startCli([...args('out'), '--tracker', 'mlflow'], {
    ...env,
    MLFLOW_TRACKING_URI: proxy.url,
  });
  while (roundsIn(out) < 1 && run.child.exitCode === null) await sleep(5);
  run.child.kill('SIGKILL');
  await run.done;
  proxy.server.close();
  const resumed = await runCli([...args('out'), '--tracker', 'mlflow', '--resume'], {
    ...env,
    MLFLOW_TRACKING_URI: mlflow.uri,
  });
  expect(resumed.code, resumed.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(out, 'changelog.json'), 'utf8')) as {
    rounds: { round: number; p_value: number | null; candidates: unknown[] }[];
  };
  expect(log.rounds).toHaveLength(2);
  const client = new MlflowClient({ trackingUri: mlflow.uri });
  const experiment = await client.getExperimentByName('plexus/resume');
  const [parent] = await client.findRunsByTag(experiment!.experiment_id, 'plexus.kind', 'optimize');
  const children = await client.findRunsByTag(
    experiment!.experiment_id,
    'mlflow.parentRunId',
    parent!.info.run_id,
  );
  // Before: round 1's children and metrics stayed out of MLflow (the resume began at round 2).
  const names = children.map((child) => child.info.run_name).sort();
  expect(names).toEqual(['round 1 candidate 1', 'round 1 candidate 2', 'round 2 candidate 1']);
  const url = `${mlflow.uri}/api/2.0/mlflow/metrics/get-history?run_id=${parent!.info.run_id}&metric_key=mcnemar_p`;
  const history = (
    (await (await fetch(url)).json()) as { metrics: { step: number; value: number }[] }
  ).metrics;
  expect(history.map((metric) => metric.step).sort()).toEqual([1, 2]);
  for (const metric of history)
    expect(metric.value).toBeCloseTo(log.rounds[metric.step - 1]!.p_value!, 12);
}, 900_000);
