import { randomUUID } from 'node:crypto';
import { errorMessage, InvalidConfigError, type LoadedScorecard } from '@plexus/core';
import type { CliIo } from './output.js';

/** Where an evaluation is tracked besides its run folder. */
export type TrackerKind = 'local' | 'mlflow';

/** `--tracker`, else MLflow when `MLFLOW_TRACKING_URI` is set, else only the local run folder. */
export function trackerKind(flag: string | undefined): TrackerKind {
  if (flag === undefined) return process.env.MLFLOW_TRACKING_URI ? 'mlflow' : 'local';
  if (flag !== 'local' && flag !== 'mlflow')
    throw new InvalidConfigError([
      { path: '--tracker', message: `expected local or mlflow, got "${flag}"` },
    ]);
  return flag;
}

export interface TrackedRun {
  runId?: string;
  url?: string;
  /** Why tracking failed; the local run folder has everything. */
  error?: string;
}

export interface Tracking {
  /** Id given to the new run folder, so the MLflow run is found again. */
  runKey: string | undefined;
  finish(dir: string): Promise<TrackedRun>;
}

/**
 * Opens the MLflow run as the evaluation starts (best effort: a server that is down only
 * means the run is synced later) and completes it from the run folder at the end.
 */
export async function beginTracking(options: {
  kind: TrackerKind;
  card: LoadedScorecard;
  resuming: boolean;
  io: CliIo;
}): Promise<Tracking | undefined> {
  if (options.kind === 'local') return undefined;
  const tracker = await import('@plexus/mlflow-tracker');
  const client = new tracker.MlflowClient({ attempts: 2 });
  const runKey = options.resuming ? undefined : randomUUID();
  if (runKey) {
    try {
      await tracker.startRun({ client, runKey, scorecard: options.card, startTime: Date.now() });
    } catch (error) {
      options.io.stderr(
        `MLflow: could not open the run (${errorMessage(error)}); scoring goes on\n`,
      );
    }
  }
  return {
    runKey,
    async finish(dir) {
      try {
        const synced = await tracker.syncRun(dir, { client: new tracker.MlflowClient() });
        return { runId: synced.runId, url: synced.url };
      } catch (error) {
        return { error: `${errorMessage(error)}` };
      }
    },
  };
}

/** Tells where the run went in MLflow, or that it stays local until synced. */
export function reportTracking(tracked: TrackedRun, dir: string, io: CliIo): void {
  if (tracked.url) io.stderr(`MLflow run: ${tracked.url}\n`);
  else
    io.stderr(
      `MLflow: not logged (${tracked.error}). The run is complete in ${dir}; log it later with: plexus mlflow sync ${dir}\n`,
    );
}
