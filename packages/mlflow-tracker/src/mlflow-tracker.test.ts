import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, loadScorecard, type RunMetricsFile, TrackerError } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { describe, expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { mlflowTracker } from './mlflow-tracker.js';

const spamTest = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));
// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');

async function scorecard(dir: string, name: string) {
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    `name: ${name}\nscores:\n  - { name: Free, class: test/contains, word: free, labels: [spam, ham], label_column: label }\n`,
  );
  return loadScorecard(card, { plugins: [testPlugin] });
}

/** A port nobody listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('mlflowTracker(): the tracker as a sink of evaluate()', () => {
  it('a library run with sinks: [mlflowTracker({ uri })] is logged: RUNNING while it runs, then FINISHED with its metrics and files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-tracker-sink-'));
    const client = new MlflowClient({ trackingUri: server.uri });
    let statusWhileRunning: string | undefined;
    const tracker = mlflowTracker({ uri: server.uri, experiment: 'plexus/tracker sink' });
    const summary = await evaluate({
      scorecard: await scorecard(dir, 'Tracker Sink'),
      data: spamTest,
      outDir: join(dir, 'run'),
      cache: false,
      sinks: [
        tracker,
        {
          specificationVersion: 'v1',
          name: 'look at MLflow once',
          async add() {
            if (statusWhileRunning !== undefined) return;
            statusWhileRunning = 'pending';
            // The run is opened while scoring goes on: looked for until it shows (up to 10 s).
            for (let tries = 0; tries < 200 && statusWhileRunning === 'pending'; tries += 1) {
              const experiment = await client.getExperimentByName('plexus/tracker sink');
              const [run] = experiment
                ? await client.findRunsByTag(
                    experiment.experiment_id,
                    'plexus.scorecard',
                    'Tracker Sink',
                  )
                : [];
              if (run) statusWhileRunning = run.info.status;
              else await new Promise((resolve) => setTimeout(resolve, 50));
            }
          },
        },
      ],
    });
    expect(summary.status).toBe('completed');
    expect(statusWhileRunning).toBe('RUNNING');
    expect(tracker.outcome?.error).toBeUndefined();
    expect(tracker.outcome?.url).toContain(server.uri);
    const run = await client.getRun(tracker.outcome!.runId!);
    expect(run.info.status).toBe('FINISHED');
    const tags = new Map((run.data?.tags ?? []).map((tag) => [tag.key, tag.value]));
    expect(tags.get('plexus.run_id')).toBe(summary.id);
    expect(tags.get('plexus.data.sha256')).toBe(summary.data.sha256);
    const metrics = JSON.parse(
      readFileSync(join(dir, 'run', 'metrics.json'), 'utf8'),
    ) as RunMetricsFile;
    const logged = new Map((run.data?.metrics ?? []).map((metric) => [metric.key, metric.value]));
    expect(logged.get('Free.accuracy')).toBe(metrics.scores.Free!.accuracy);
    expect(logged.get('run.items')).toBe(summary.items);
    const experiment = await client.getExperimentByName('plexus/tracker sink');
    // One MLflow run for the evaluation: the one opened at begin, completed at finish.
    expect(
      await client.findRunsByTag(experiment!.experiment_id, 'plexus.run_id', summary.id),
    ).toHaveLength(1);
  });

  it('MLflow down: the evaluation completes, the outcome says why, a warning says scoring went on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-tracker-down-'));
    const warnings: string[] = [];
    const tracker = mlflowTracker({
      uri: `http://127.0.0.1:${await closedPort()}`,
      client: { retryDelayMs: 10 },
      onWarning: (message) => warnings.push(message),
    });
    const summary = await evaluate({
      scorecard: await scorecard(dir, 'Tracker Down'),
      data: spamTest,
      outDir: join(dir, 'run'),
      cache: false,
      sinks: [tracker],
    });
    expect(summary.status).toBe('completed');
    expect(summary.results).toBe(summary.items);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^MLflow: could not open the run \(.+\); scoring goes on$/);
    expect(tracker.outcome?.url).toBeUndefined();
    expect(tracker.outcome?.error).toBeTruthy();
  });

  it('MLflow that accepts connections but never answers: scoring does not wait for it', async () => {
    // A hung server (overloaded, a proxy in front of a dead one): connections open, no answer.
    let requests = 0;
    const hung = createHttpServer(() => {
      requests += 1;
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'plexus-tracker-hung-'));
      const events: string[] = [];
      const tracker = mlflowTracker({
        uri: `http://127.0.0.1:${(hung.address() as { port: number }).port}`,
        client: { retryDelayMs: 10, timeoutMs: 1000 },
        onWarning: () => events.push('warning'),
      });
      const firstLine = {
        specificationVersion: 'v1' as const,
        name: 'first-line',
        add: () => void (events.includes('scored') || events.push('scored')),
      };
      const summary = await evaluate({
        scorecard: await scorecard(dir, 'Tracker Hung'),
        data: spamTest,
        outDir: join(dir, 'run'),
        cache: false,
        sinks: [tracker, firstLine],
      });
      expect(summary.status).toBe('completed');
      // Scoring went on while the run was being opened (it waited for the timeouts first).
      expect(events).toEqual(['scored', 'warning']);
      expect(tracker.outcome?.error).toMatch(/unreachable/);
      // Two tries to open the run, then one at the end: not the sync's four more (each waits
      // for its timeout; at the default 30 s, two minutes more before the run's end was said).
      expect(requests).toBe(3);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });

  it('without an http(s) tracking URI it refuses at once, before any run starts', () => {
    expect(() => mlflowTracker({ uri: 'file:///tmp/mlruns' })).toThrow(TrackerError);
    expect(() => mlflowTracker({ uri: 'file:///tmp/mlruns' })).toThrow(/MLFLOW_TRACKING_URI/);
  });
});
