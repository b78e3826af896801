import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, redact } from '@plexus/core';
import type { MlflowClient } from '@plexus/mlflow-tracker';
import type { CandidateRecord, RoundEntry } from './round.js';
import { writeWhole } from './whole-file.js';

/** Where an optimize run is recorded besides its folder (MLflow: a parent run, a child per candidate). */
export interface OptimizeTracker {
  round(entry: RoundEntry, spentUsd: number | null): Promise<void>;
  /**
   * The changelog's rounds MLflow has not recorded (a kill after a round was written and before
   * MLflow had it all, MLflow down for a while): recorded now, each candidate once.
   */
  catchUp(rounds: readonly RoundEntry[]): Promise<void>;
  finish(status: 'FINISHED' | 'FAILED'): Promise<void>;
}

/** `mlflow.json`: the parent run, the rounds recorded whole, and the candidates of the one begun. */
interface Recorded {
  parent_run_id: string;
  rounds_logged?: number;
  begun?: { round: number; candidates: number };
}

type Metric = { key: string; value: number; timestamp: number; step: number };

function metrics(values: Record<string, number | null>, step: number): Metric[] {
  const now = Date.now();
  return Object.entries(values).flatMap(([key, value]) =>
    value === null || !Number.isFinite(value) ? [] : [{ key, value, timestamp: now, step }],
  );
}

function param(key: string, value: string | null) {
  return value === null ? [] : [{ key, value: redact(value).slice(0, 500) }];
}

async function parentRun(
  client: MlflowClient,
  options: TrackerOptions,
): Promise<{ experimentId: string; runId: string; recorded: Recorded }> {
  const path = join(options.outDir, 'mlflow.json');
  const experiment = await client.ensureExperiment(`plexus/${options.scorecardName}`);
  const experimentId = experiment.experiment_id;
  if (existsSync(path)) {
    const kept = JSON.parse(await readFile(path, 'utf8')) as Recorded;
    await client.updateRun(kept.parent_run_id, 'RUNNING');
    // A parent of an earlier Plexus recorded each round as it came: taken as having them all.
    return { experimentId, runId: kept.parent_run_id, recorded: kept };
  }
  const run = await client.createRun({
    experimentId,
    runName: `optimize ${options.score}`,
    startTime: Date.now(),
    tags: {
      'plexus.kind': 'optimize',
      'plexus.score': options.score,
      'mlflow.source.name': 'plexus optimize',
    },
  });
  await client.logBatch(run.info.run_id, {
    params: Object.entries(options.params).map(([key, value]) => ({ key, value: redact(value) })),
  });
  const recorded: Recorded = { parent_run_id: run.info.run_id, rounds_logged: 0 };
  await writeWhole(path, `${JSON.stringify(recorded)}\n`);
  return { experimentId, runId: run.info.run_id, recorded };
}

interface TrackerOptions {
  outDir: string;
  scorecardName: string;
  score: string;
  params: Record<string, string>;
  /** Told once when MLflow fails; the run goes on, recorded in its folder only. */
  onError: (message: string) => void;
}

function isChosen(entry: RoundEntry, candidate: CandidateRecord): boolean {
  return (
    entry.edit !== null &&
    candidate.dropped === null &&
    entry.edit.node === candidate.node &&
    entry.edit.reason === candidate.reason
  );
}

async function logCandidate(
  client: MlflowClient,
  ids: { experimentId: string; runId: string },
  entry: RoundEntry,
  candidate: CandidateRecord,
  index: number,
) {
  const chosen = isChosen(entry, candidate);
  const outcome = chosen ? entry.outcome : candidate.dropped ? 'dropped' : 'not chosen';
  const run = await client.createRun({
    experimentId: ids.experimentId,
    runName: `round ${entry.round} candidate ${index + 1}`,
    startTime: Date.now(),
    tags: {
      'mlflow.parentRunId': ids.runId,
      'plexus.kind': 'optimize-candidate',
      'plexus.outcome': outcome,
    },
  });
  await client.logBatch(run.info.run_id, {
    params: [
      { key: 'round', value: String(entry.round) },
      ...param('node', candidate.node),
      ...param('reason', candidate.reason),
      ...param('dropped', candidate.dropped),
    ],
    metrics: metrics(
      {
        validation_accuracy: candidate.validation_accuracy,
        train_accuracy: chosen ? entry.metrics.train.candidate : null,
        holdout_accuracy: chosen ? entry.metrics.holdout.candidate : null,
        mcnemar_p: chosen ? entry.p_value : null,
        cost_per_item_usd: chosen ? entry.cost_per_item.candidate : null,
      },
      0,
    ),
  });
  await client.updateRun(run.info.run_id, 'FINISHED', Date.now());
}

/** The parent's metrics of a round, as a step: the version kept after it, p, gap, spending. */
async function logRound(
  client: MlflowClient,
  runId: string,
  entry: RoundEntry,
  spentUsd: number | null,
) {
  const { train, validation, holdout } = entry.metrics;
  // The version kept after the round, all three alike: an accepted round logged the old
  // version's train accuracy beside the new one's holdout (train minus holdout was not the gap).
  const kept = entry.outcome === 'accepted' ? 'candidate' : 'current';
  await client.logBatch(runId, {
    metrics: metrics(
      {
        train_accuracy: train[kept],
        validation_accuracy: validation[kept],
        holdout_accuracy: holdout[kept],
        mcnemar_p: entry.p_value,
        generalisation_gap: entry.generalisation_gap,
        accepted: entry.outcome === 'accepted' ? 1 : 0,
        spent_usd: spentUsd,
      },
      entry.round,
    ),
  });
}

/** An MLflow parent run for the optimize run (kept in `mlflow.json` for `--resume`), a child run per candidate. */
export async function mlflowOptimizeTracker(
  options: TrackerOptions,
): Promise<OptimizeTracker | undefined> {
  const tracker = await import('@plexus/mlflow-tracker');
  const client = new tracker.MlflowClient({ attempts: 2 });
  let ids: { experimentId: string; runId: string; recorded: Recorded } | undefined;
  const guard = async (work: () => Promise<void>) => {
    if (!ids) return;
    try {
      await work();
    } catch (error) {
      options.onError(
        `MLflow: ${errorMessage(error)}; the run goes on, recorded in its folder only`,
      );
      ids = undefined;
    }
  };
  try {
    ids = await parentRun(client, options);
  } catch (error) {
    options.onError(`MLflow: ${errorMessage(error)}; the run goes on, recorded in its folder only`);
    return undefined;
  }
  const recorded = ids.recorded;
  const path = join(options.outDir, 'mlflow.json');
  const save = () => writeWhole(path, `${JSON.stringify(recorded)}\n`);
  const record = async (entry: RoundEntry, spentUsd: number | null) => {
    const parent = ids!;
    const done = recorded.begun?.round === entry.round ? recorded.begun.candidates : 0;
    for (const [index, candidate] of entry.candidates.entries()) {
      if (index < done) continue;
      await logCandidate(client, parent, entry, candidate, index);
      recorded.begun = { round: entry.round, candidates: index + 1 };
      await save();
    }
    await logRound(client, parent.runId, entry, spentUsd);
    recorded.rounds_logged = entry.round;
    delete recorded.begun;
    await save();
  };
  return {
    round: (entry, spentUsd) => guard(() => record(entry, spentUsd)),
    catchUp: (rounds) =>
      guard(async () => {
        // An earlier Plexus's mlflow.json has no count: it recorded each round as it came.
        if (recorded.rounds_logged === undefined) return;
        for (const entry of rounds)
          if (entry.round > recorded.rounds_logged) await record(entry, entry.spent_usd ?? null);
      }),
    finish: (status) => guard(() => client.updateRun(ids!.runId, status, Date.now())),
  };
}
