// `plexus optimize --tracker mlflow` killed after a round was written to the changelog and before
// MLflow had it all (a slow MLflow: a proxy that answers each request 400 ms late), then resumed:
// MLflow ends with every round and candidate of changelog.json, each once.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { type MlflowServer, startMlflowServer } from '@plexus/mlflow-tracker/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runCli, sleep, startCli } from './harness.js';
import { closeServers, edit, prizePrompt, project, rarePrompt } from './optimize-project.js';

let mlflow: MlflowServer;
beforeAll(async () => {
  mlflow = await startMlflowServer();
}, 900_000);
afterAll(() => mlflow?.stop());
afterEach(closeServers);

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

it('records in MLflow, on --resume, the round a kill left out of it', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam'), edit('', 'an empty prompt')] },
    { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
  ]);
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
  const experiment = await client.getExperimentByName('plexus/spam');
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
