import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  effectiveRunInfo,
  type RunInfo,
  readAgreement,
  runFolderStaleMetrics,
  runIdOf,
  sha256,
  TrackerError,
} from '@plexus/core';
import { readRunMetrics } from './metrics-file.js';
import type { MlflowClient } from './mlflow-client.js';
import { runMetrics, runParams } from './run-values.js';

export interface SyncOptions {
  client: MlflowClient;
  /** Experiment name; default `plexus/<scorecard name>`. */
  experimentName?: string;
}

export interface SyncResult {
  runId: string;
  experimentId: string;
  /** The run's page on the server. */
  url: string;
  /** `created` a new run, `updated` one synced before (or interrupted mid-sync), `unchanged` already complete. */
  action: 'created' | 'updated' | 'unchanged';
}

const statusOf: Record<RunInfo['status'], 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED'> = {
  running: 'RUNNING',
  completed: 'FINISHED',
  failed: 'FAILED',
  interrupted: 'KILLED',
};

/** Tags that say how far a sync got, keyed by the local run's end time (a resumed run syncs again). */
const syncedTag = 'plexus.synced';
const metricsTag = 'plexus.metrics_logged';
const paramsTag = 'plexus.params_logged';

/**
 * What run.json recorded about the data, as tags: the dataset's SHA-256 and rows, and the gold
 * digests per score (as JSON: score names may hold any character). Recorded when the run ended,
 * never hashed at sync (the file may have changed since).
 */
function provenanceTags(info: RunInfo): { key: string; value: string }[] {
  const data = info.data;
  const tags: { key: string; value: string }[] = [];
  if (typeof data.sha256 === 'string') tags.push({ key: 'plexus.data.sha256', value: data.sha256 });
  if (typeof data.rows === 'number')
    tags.push({ key: 'plexus.data.rows', value: String(data.rows) });
  if (data.gold && Object.keys(data.gold).length > 0)
    tags.push({ key: 'plexus.gold_digests', value: JSON.stringify(data.gold) });
  return tags;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The run's page in the MLflow UI. */
function runUrl(client: MlflowClient, experimentId: string, runId: string): string {
  return `${client.trackingUri}/#/experiments/${experimentId}/runs/${runId}`;
}

/** Tags that identify a Plexus run in MLflow. */
function runTags(runKey: string, scorecard: { name: string; key: string }): Record<string, string> {
  return {
    'plexus.run_id': runKey,
    'plexus.scorecard': scorecard.name,
    'plexus.scorecard_key': scorecard.key,
    'mlflow.source.name': 'plexus evaluate',
    'mlflow.source.type': 'LOCAL',
  };
}

/**
 * Creates the MLflow run of an evaluation as it starts (status RUNNING), so it shows while it
 * runs; `syncRun` finds it by `runKey` and completes it when the local run ends.
 */
export async function startRun(
  options: SyncOptions & {
    runKey: string;
    scorecard: { name: string; key: string };
    startTime: number;
  },
): Promise<SyncResult> {
  const { client } = options;
  const experiment = await client.ensureExperiment(
    options.experimentName ?? `plexus/${options.scorecard.name}`,
  );
  const run = await client.createRun({
    experimentId: experiment.experiment_id,
    runName: `${options.scorecard.key} (running)`,
    startTime: options.startTime,
    tags: runTags(options.runKey, options.scorecard),
  });
  return {
    runId: run.info.run_id,
    experimentId: experiment.experiment_id,
    url: runUrl(client, experiment.experiment_id, run.info.run_id),
    action: 'created',
  };
}

/**
 * Replays a local run folder into MLflow: one run per local run (found again by the
 * `plexus.run_id` tag, so syncing twice creates nothing new), with params, metrics, tags, the
 * dataset as an input and the folder's files as artifacts, ending with the run's status.
 */
export async function syncRun(dir: string, options: SyncOptions): Promise<SyncResult> {
  const { client } = options;
  const stored = await readJson<RunInfo>(join(dir, 'run.json'));
  if (!stored) throw new TrackerError(`${dir}: no readable run.json; is this a plexus run folder?`);
  // A run left `running` by a process that died is synced as interrupted (KILLED).
  const info = effectiveRunInfo(dir, stored);
  if (info.status === 'running')
    throw new TrackerError(
      `${dir}: the run has not ended (status running): finish it with plexus evaluate --resume ${dir}, then sync`,
    );
  const metrics = await readRunMetrics(dir);
  // A killed or failed resume leaves the metrics of an earlier end beside other results.
  const stale = metrics ? await runFolderStaleMetrics(dir, info, metrics) : undefined;
  if (stale)
    throw new TrackerError(
      `${join(dir, 'metrics.json')} is not of the results in results.jsonl: ${stale}; plexus evaluate SCORECARD --resume ${dir} scores what is missing and writes it again, then sync`,
    );
  const runKey = runIdOf(info, dir);
  // Agreement with reviewers saved after the run (plexus feedback agreement --run) is synced too.
  const agreement = await readAgreement(dir);
  const stamp = `${info.ended_at ?? ''}${agreement ? ` feedback ${agreement.computed_at}` : ''}`;
  const experiment = await client.ensureExperiment(
    options.experimentName ?? `plexus/${info.scorecard.name}`,
  );
  const existing = (
    await client.findRunsByTag(experiment.experiment_id, 'plexus.run_id', runKey)
  )[0];
  const tags = Object.fromEntries(
    (existing?.data?.tags ?? []).map((tag) => [tag.key, tag.value ?? '']),
  );
  const url = (runId: string) => runUrl(client, experiment.experiment_id, runId);
  if (existing && tags[syncedTag] === stamp)
    return {
      runId: existing.info.run_id,
      experimentId: experiment.experiment_id,
      url: url(existing.info.run_id),
      action: 'unchanged',
    };
  const run =
    existing ??
    (await client.createRun({
      experimentId: experiment.experiment_id,
      runName: basename(dir),
      startTime: Date.parse(info.started_at),
      tags: runTags(runKey, info.scorecard),
    }));
  const runId = run.info.run_id;
  const endTime = info.ended_at ? Date.parse(info.ended_at) : Date.now();
  const files = (await readdir(dir, { withFileTypes: true }))
    // Not the lock a dead process left behind, nor files half written.
    .filter(
      (entry) =>
        entry.isFile() && !entry.name.endsWith('.tmp') && !entry.name.startsWith('run.lock'),
    )
    .map((entry) => entry.name)
    .sort();
  if (tags[paramsTag] !== '1') {
    const scorecardFile = files.find((name) => name.startsWith('scorecard.'));
    const scorecardText = scorecardFile
      ? await readFile(join(dir, scorecardFile), 'utf8')
      : undefined;
    await client.logBatch(runId, { params: runParams(info, scorecardText) });
    await client.logInputs(runId, [
      {
        name: basename(info.data.path),
        // The SHA-256 run.json recorded (a run from before provenance: a hash of the path).
        digest: (info.data.sha256 ?? sha256(info.data.path)).slice(0, 16),
        sourceType: 'local',
        source: JSON.stringify({ uri: info.data.path }),
        context: 'evaluation',
      },
    ]);
    await client.setTag(runId, paramsTag, '1');
  }
  if (tags[metricsTag] !== stamp) {
    await client.logBatch(runId, { metrics: runMetrics(info, metrics, endTime, agreement) });
    await client.setTag(runId, metricsTag, stamp);
  }
  // Streamed: results.jsonl is 3.3 GB for a million transcripts (Node reads no file over 2 GB).
  for (const file of files) {
    const path = join(dir, file);
    await client.uploadArtifact(run.info.artifact_uri, file, {
      file: path,
      size: (await stat(path)).size,
    });
  }
  await client.logBatch(runId, {
    tags: [
      { key: 'plexus.status', value: info.status },
      {
        key: 'plexus.items',
        value: info.counts_unknown ? `unknown: ${info.counts_unknown}` : String(info.counts.items),
      },
      ...provenanceTags(info),
    ],
  });
  await client.updateRun(runId, statusOf[info.status], endTime, basename(dir));
  await client.setTag(runId, syncedTag, stamp);
  return {
    runId,
    experimentId: experiment.experiment_id,
    url: url(runId),
    action: existing ? 'updated' : 'created',
  };
}
