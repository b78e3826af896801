import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type RunSinkV1, TrackerError } from '@plexus/core';
import { MlflowClient, type MlflowClientOptions } from './mlflow-client.js';
import { resolvedModels } from './model-resolver.js';
import { startRun, syncRun } from './run-sync.js';

export interface MlflowTrackerOptions {
  /** Tracking server, e.g. `http://127.0.0.1:5000`; default `MLFLOW_TRACKING_URI`. */
  uri?: string;
  /** Experiment name; default `plexus/<scorecard name>`. */
  experiment?: string;
  /** Client settings (token, attempts, fetch for tests); `uri` wins over their `trackingUri`. */
  client?: Omit<MlflowClientOptions, 'trackingUri'>;
  /** Problems that do not stop the run (MLflow down as it starts), one line each. */
  onWarning?: (message: string) => void;
}

/** Where a run went in MLflow, or why it stays local (then `plexus mlflow sync <dir>` logs it). */
export interface TrackedRun {
  runId?: string;
  url?: string;
  /** Why tracking failed; the local run folder has everything. */
  error?: string;
}

/** The MLflow tracker: a run sink that also says where the run went. */
export interface MlflowTrackerSink extends RunSinkV1 {
  /** Set by `finish`: the MLflow run, or why it was not logged. */
  readonly outcome: TrackedRun | undefined;
}

/**
 * Tags the MLflow run with the registry versions its scorecard's `models:/` URIs named when this
 * process loaded them (`plexus.models`, JSON: `{"models:/spam@champion": "3"}`): the URI alone,
 * the `score.<name>.model` param, says nothing of which model scored once the alias has moved.
 */
async function tagModelVersions(client: MlflowClient, runId: string, dir: string): Promise<void> {
  const scorecardFile = (await readdir(dir)).find((name) => name.startsWith('scorecard.'));
  const text = scorecardFile ? await readFile(join(dir, scorecardFile), 'utf8') : '';
  const versions = Object.fromEntries(
    [...resolvedModels()]
      .filter(([uri]) => text.includes(uri))
      .map(([uri, model]) => [uri, model.version]),
  );
  if (Object.keys(versions).length > 0)
    await client.setTag(runId, 'plexus.models', JSON.stringify(versions));
}

/**
 * Tracks an evaluation in MLflow, as a sink of `evaluate({ sinks: [mlflowTracker()] })`: opens the
 * MLflow run as the evaluation starts, while scoring goes on (status RUNNING, so it shows while it
 * runs; a resumed run reuses the one it has), then, once the run folder is closed, logs params, metrics, tags, the
 * dataset as an input and the folder's files as artifacts, and ends the run with its status (see
 * `syncRun`). Never fails the evaluation: a server that is down, slow or failing leaves the run
 * local (`outcome.error`), to be logged later with `plexus mlflow sync <dir>`. Throws `TrackerError`
 * at once without a tracking URI (`uri` or `MLFLOW_TRACKING_URI`).
 */
export function mlflowTracker(options: MlflowTrackerOptions = {}): MlflowTrackerSink {
  let outcome: TrackedRun | undefined;
  let opened: Promise<void> | undefined;
  // The experiment, when MLflow did not answer as the run opened (no HTTP status: refused, timed out).
  let unanswered: string | undefined;
  // Made now: no tracking URI (or not http) is a TrackerError here, before any run starts.
  const client = new MlflowClient({ ...options.client, trackingUri: options.uri });
  // Two attempts to open the run: a server that is down only means it is logged at the end or
  // later. Opening, and a first try at the end when that got no answer, wait 10 s at most per
  // request (the sync's own requests keep 30 s): a hung server held the end 90 s more otherwise.
  const quick = {
    ...options.client,
    trackingUri: options.uri,
    timeoutMs: Math.min(options.client?.timeoutMs ?? 10_000, 10_000),
  };
  const opening = new MlflowClient({ ...quick, attempts: 2 });
  const probe = new MlflowClient({ ...quick, attempts: 1 });
  return {
    specificationVersion: 'v1',
    name: 'mlflow',
    get outcome() {
      return outcome;
    },
    begin(run) {
      if (run.resumed) return;
      // While scoring goes on: a server that accepts connections but does not answer held the
      // first item back for its timeouts (a minute), and that wait was counted in the run's time.
      opened = startRun({
        client: opening,
        experimentName: options.experiment,
        runKey: run.id,
        scorecard: run.scorecard,
        startTime: Date.parse(run.startedAt),
      }).then(
        () => {},
        (error: unknown) => {
          if (error instanceof TrackerError && error.status === undefined)
            unanswered = options.experiment ?? `plexus/${run.scorecard.name}`;
          options.onWarning?.(
            `MLflow: could not open the run (${errorMessage(error)}); scoring goes on`,
          );
        },
      );
    },
    add() {},
    async finish(summary) {
      // The run opened at the start, if it was, is the one the sync finds and completes.
      await opened;
      try {
        // Unanswered at the start: one try first, not the sync's four (a hung server held the
        // end of the run two minutes more before it said the run was not logged).
        if (unanswered) await probe.ensureExperiment(unanswered);
        const synced = await syncRun(summary.dir, {
          client,
          experimentName: options.experiment,
        });
        await tagModelVersions(client, synced.runId, summary.dir);
        outcome = { runId: synced.runId, url: synced.url };
      } catch (error) {
        outcome = { error: errorMessage(error) };
      }
    },
  };
}
