import { basename } from 'node:path';
import {
  type ScoreMetrics,
  type SweepInfo,
  type SweepResult,
  type SweepTracker,
  sweepMetrics,
  TrackerError,
  type TrialRecord,
} from '@plexus/core';
import type { MlflowClient, ModelVersion } from './mlflow-client.js';
import { registerModel } from './model-registry.js';

function metricEntries(values: Record<string, number | null | undefined>, now: number) {
  return Object.entries(values).flatMap(([key, value]) =>
    typeof value === 'number' && Number.isFinite(value)
      ? [{ key, value, timestamp: now, step: 0 }]
      : [],
  );
}

function parameterValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The held-out test metrics a sweep logs and registers, as `test_<name>`. */
export function testMetrics(metrics: ScoreMetrics | null): Record<string, number> {
  if (!metrics) return {};
  return Object.fromEntries(
    Object.entries(sweepMetrics).flatMap(([name, read]) => {
      const value = read(metrics);
      return value === null ? [] : [[`test_${name}`, value]];
    }),
  );
}

/**
 * Tracks a sweep in MLflow: one parent run in the scorecard's experiment (`plexus/<name>`) and
 * one child run per trial (tag `mlflow.parentRunId`) with its settings as params and its
 * cross-validated metrics as `cv_<metric>`.
 */
export function mlflowSweepTracker(client: MlflowClient): SweepTracker {
  // The experiment of the sweep: its children go there too.
  let experimentId = '';
  return {
    async start(info, parentRunId) {
      const experiment = await client.ensureExperiment(`plexus/${info.scorecard.name}`);
      experimentId = experiment.experiment_id;
      if (parentRunId) {
        await client.updateRun(parentRunId, 'RUNNING');
        return parentRunId;
      }
      const run = await client.createRun({
        experimentId,
        runName: `sweep ${info.score}`,
        startTime: Date.parse(info.started_at),
        tags: {
          'plexus.kind': 'sweep',
          'plexus.score': info.score,
          'plexus.scorecard': info.scorecard.name,
          'mlflow.source.name': 'plexus train --sweep',
          'mlflow.source.type': 'LOCAL',
        },
      });
      await client.logBatch(run.info.run_id, {
        params: Object.entries({
          metric: info.metric,
          trials: String(info.trials),
          seed: String(info.seed),
          test_fraction: String(info.test_fraction),
          split: info.split,
          data: basename(info.data),
          sweep_file: basename(info.sweep.path),
          sweep_sha256: info.sweep.sha256,
        }).map(([key, value]) => ({ key, value })),
      });
      return run.info.run_id;
    },

    async trial(record: TrialRecord, info: SweepInfo, parentRunId: string) {
      const now = Date.now();
      const run = await client.createRun({
        experimentId,
        runName: `trial ${record.trial}`,
        startTime: now - Math.round(record.duration_s * 1000),
        tags: {
          'mlflow.parentRunId': parentRunId,
          'plexus.kind': 'sweep-trial',
          'plexus.score': info.score,
          'plexus.trial': String(record.trial),
          ...(record.error ? { 'plexus.error': record.error.slice(0, 4000) } : {}),
        },
      });
      const runId = run.info.run_id;
      await client.logBatch(runId, {
        params: Object.entries(record.parameters).map(([key, value]) => ({
          key,
          value: parameterValue(value),
        })),
        metrics: metricEntries(
          {
            ...Object.fromEntries(
              Object.entries(record.metrics).map(([name, value]) => [`cv_${name}`, value]),
            ),
            [`cv_${info.metric}_std`]: record.metric_std,
            duration_s: record.duration_s,
            folds: record.folds,
          },
          now,
        ),
      });
      await client.updateRun(runId, record.status === 'ok' ? 'FINISHED' : 'FAILED', now);
      return runId;
    },

    async finish(result: SweepResult, parentRunId: string) {
      const now = Date.now();
      await client.logBatch(parentRunId, {
        params: result.best ? [{ key: 'best_trial', value: String(result.best.trial) }] : [],
        metrics: metricEntries(
          {
            [`best_cv_${result.metric}`]: result.best?.metric,
            ...testMetrics(result.testMetrics),
            trials_run: result.trials.length,
          },
          now,
        ),
        tags: result.best?.mlflow_run_id
          ? [{ key: 'plexus.best_run_id', value: result.best.mlflow_run_id }]
          : [],
      });
      await client.updateRun(parentRunId, 'FINISHED', now);
    },

    async stop(parentRunId: string) {
      await client.updateRun(parentRunId, 'KILLED', Date.now());
    },
  };
}

/** The version an alias points at, or undefined when the alias is not set. */
export async function aliasedVersion(
  client: MlflowClient,
  name: string,
  alias: string,
): Promise<ModelVersion | undefined> {
  try {
    return await client.getModelVersionByAlias(name, alias);
  } catch (error) {
    if (error instanceof TrackerError && (error.status === 404 || error.status === 400))
      return undefined;
    throw error;
  }
}

export interface RegisterBestOptions {
  client: MlflowClient;
  result: SweepResult;
  /** Registered model name. */
  name: string;
  /** Default `challenger`. */
  alias?: string;
}

/**
 * Registers a sweep's best model (in its trial's run) and points the alias at it. Returns the
 * version and what the alias pointed at before, so moving `champion` is never silent.
 */
export async function registerBest(
  options: RegisterBestOptions,
): Promise<{ version: ModelVersion; alias: string; previous: ModelVersion | undefined }> {
  const { client, result } = options;
  if (!result.modelPath || !result.best)
    throw new TrackerError('the sweep has no best model to register (it did not complete)');
  const alias = options.alias ?? 'challenger';
  const previous = await aliasedVersion(client, options.name, alias);
  const version = await registerModel({
    client,
    file: result.modelPath,
    name: options.name,
    alias,
    runId: result.best.mlflow_run_id,
    metrics: testMetrics(result.testMetrics),
    params: { train_items: String(result.trainItems) },
  });
  return { version, alias, previous };
}
