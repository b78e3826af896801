import { InvalidConfigError, type RunSinkV1 } from '@plexus/core';
import type { TrackedRun } from '@plexus/mlflow-tracker';
import type { CliIo } from './output.js';
import type { Progress } from './progress.js';

export type { TrackedRun } from '@plexus/mlflow-tracker';

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

/** The sinks the CLI attaches to a run besides the run folder, chosen from flags and environment. */
export interface CliSinks {
  sinks: RunSinkV1[];
  /** Where the run went in MLflow once it ended; undefined when not tracked there. */
  tracked(): TrackedRun | undefined;
}

/** The progress line as a sink: one tick per stored line. */
function progressSink(progress: Progress): RunSinkV1 {
  return {
    specificationVersion: 'v1',
    name: 'progress',
    add: (line) => progress.update(line),
  };
}

/**
 * The progress line, and with `--tracker mlflow` (or MLFLOW_TRACKING_URI) the MLflow tracker
 * sink: it opens the MLflow run as the evaluation starts (best effort: a server that is down only
 * means the run is synced later) and completes it from the closed run folder at the end.
 */
export async function cliSinks(options: {
  kind: TrackerKind;
  progress?: Progress;
  io: CliIo;
}): Promise<CliSinks> {
  const sinks = options.progress ? [progressSink(options.progress)] : [];
  if (options.kind === 'local') return { sinks, tracked: () => undefined };
  const { mlflowTracker } = await import('@plexus/mlflow-tracker');
  const tracker = mlflowTracker({ onWarning: (message) => options.io.stderr(`${message}\n`) });
  return { sinks: [...sinks, tracker], tracked: () => tracker.outcome };
}

/** Tells where the run went in MLflow, or that it stays local until synced. */
export function reportTracking(tracked: TrackedRun, dir: string, io: CliIo): void {
  if (tracked.url) io.stderr(`MLflow run: ${tracked.url}\n`);
  else
    io.stderr(
      `MLflow: not logged (${tracked.error}). The run is complete in ${dir}; log it later with: plexus mlflow sync ${dir}\n`,
    );
}
