import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidConfigError, PlexusError } from '../common/errors.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import { checkTestFraction, splitItems } from '../train/train.js';
import {
  measureScore,
  readTrainData,
  trainableScores,
  trainEnv,
  trainingDataPath,
} from '../train/train-data.js';
import { sweepTrials } from './sweep-file.js';
import { rankTrials, SweepFolder } from './sweep-folder.js';
import type { SweepOptions, SweepResult, SweepTracker } from './sweep-options.js';
import { runTrial, type TrialContext, trialSettings, validationSplits } from './sweep-trial.js';

export type { SweepOptions, SweepResult, SweepTracker } from './sweep-options.js';

async function openFolder(options: SweepOptions, path: string, entry: LoadedScore) {
  const { scorecard, sweep } = options;
  if (options.resumeDir) {
    const folder = await SweepFolder.open(resolve(options.resumeDir));
    if (folder.info.score !== entry.name || folder.info.sweep.sha256 !== sweep.hash)
      throw new InvalidConfigError([
        {
          path: '--resume',
          message: `${options.resumeDir} is a sweep of "${folder.info.score}" with another sweep file; resume it with the same --score and --sweep`,
        },
      ]);
    return folder;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = resolve(options.dir ?? join('runs', `${stamp}-${scorecard.key}-sweep`));
  return SweepFolder.create(dir, {
    version: 1,
    status: 'running',
    scorecard: {
      name: scorecard.name,
      key: scorecard.key,
      path: scorecard.path,
      hash: scorecard.hash,
    },
    score: entry.name,
    sweep: { path: resolve(sweep.path), sha256: sweep.hash },
    data: path,
    seed: options.seed ?? 0,
    test_fraction: checkTestFraction(options.testFraction ?? 0.2),
    split: options.split ?? 'stratified',
    metric: sweep.spec.metric,
    trials: 0,
    started_at: new Date().toISOString(),
    ended_at: null,
    mlflow_parent_run_id: null,
    best: null,
    error: null,
  });
}

// Over 80 lines: the sweep's steps in order (open, split, trials, retrain the best, test) share its folder and tracker.
/**
 * Tunes a trainable score: runs every trial of the sweep file with k-fold or holdout validation
 * on the training side, retrains the best settings on all of it, and tests that model on the
 * held-out side. Interrupted sweeps resume from their folder without re-running finished trials.
 */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const { scorecard } = options;
  const [entry] = trainableScores(scorecard, [options.score]);
  const trials = sweepTrials(options.sweep.spec);
  const settings = trialSettings(entry!, trials, options.sweep.path);
  const folder = await openFolder(options, trainingDataPath(scorecard, options.data), entry!);
  const { info } = folder;
  info.trials = trials.length;
  info.status = 'running';
  const data = await readTrainData({
    scorecard,
    entry: entry!,
    path: info.data,
    onDatasetProblem: options.onDatasetProblem,
  });
  const { train, test } = splitItems(data.items, {
    fraction: info.test_fraction,
    seed: info.seed,
    method: info.split,
  });
  const env = trainEnv(scorecard, entry!, options);
  const context: TrialContext = {
    options,
    entry: entry!,
    env,
    splits: validationSplits(train, options.sweep.spec),
    folder,
  };
  let tracker = options.tracker;
  const tracked = async <T>(call: (active: SweepTracker) => Promise<T>): Promise<T | undefined> => {
    if (!tracker) return undefined;
    try {
      return await call(tracker);
    } catch (error) {
      options.onTrackerError?.(error);
      tracker = undefined;
      return undefined;
    }
  };
  info.mlflow_parent_run_id =
    (await tracked((active) => active.start(info, info.mlflow_parent_run_id))) ??
    info.mlflow_parent_run_id;
  await folder.save();
  const done = new Set(folder.trials.map((record) => record.trial));
  try {
    for (const [index, parameters] of trials.entries()) {
      if (done.has(index + 1)) continue;
      options.signal?.throwIfAborted();
      const record = await runTrial(context, index + 1, parameters, settings[index]);
      const parentId = info.mlflow_parent_run_id;
      const childId = parentId
        ? await tracked((active) => active.trial(record, info, parentId))
        : undefined;
      if (childId) record.mlflow_run_id = childId;
      await folder.addTrial(record);
      options.onTrial?.(record, trials.length);
    }
  } catch (error) {
    if (!options.signal?.aborted) throw error;
    info.status = 'interrupted';
    await folder.save();
    const parentId = info.mlflow_parent_run_id;
    if (parentId) await tracked(async (active) => active.stop?.(parentId));
    return result(folder, { modelPath: null, testMetrics: null, train, test, started });
  }
  const [best] = rankTrials(folder.trials);
  if (!best || best.metric === null) {
    info.status = 'failed';
    info.error = `no trial finished: ${folder.trials.find((trial) => trial.error)?.error ?? 'no metric'}`;
    await folder.save();
    throw new PlexusError(`sweep failed, ${info.error}`);
  }
  await rm(join(folder.dir, 'trial-models'), { recursive: true, force: true });
  options.onProgress?.(`best: trial ${best.trial}; training it on all ${train.length} items`);
  const final = await entry!.factory.train!({
    settings: settings[best.trial - 1],
    env,
    items: train,
    outDir: options.modelDir ?? join(folder.dir, 'model'),
    signal: options.signal,
  });
  const testMetrics =
    test.length > 0
      ? await measureScore({
          scorecard,
          entry: entry!,
          env,
          settings: final.settings,
          items: test,
          seed: info.seed,
          signal: options.signal,
        })
      : null;
  info.status = 'completed';
  info.ended_at = new Date().toISOString();
  info.best = { trial: best.trial, metric: best.metric, model: final.modelPath };
  await folder.save();
  const summary = result(folder, {
    modelPath: final.modelPath,
    testMetrics,
    train,
    test,
    started,
  });
  const parentId = info.mlflow_parent_run_id;
  if (parentId) await tracked((active) => active.finish(summary, parentId));
  return summary;
}

function result(
  folder: SweepFolder,
  parts: {
    modelPath: string | null;
    testMetrics: ScoreMetrics | null;
    train: readonly unknown[];
    test: readonly unknown[];
    started: number;
  },
): SweepResult {
  const trials = rankTrials(folder.trials);
  return {
    dir: folder.dir,
    status: folder.info.status === 'completed' ? 'completed' : 'interrupted',
    metric: folder.info.metric,
    trials,
    best: folder.info.status === 'completed' ? (trials[0] ?? null) : null,
    modelPath: parts.modelPath,
    testMetrics: parts.testMetrics,
    trainItems: parts.train.length,
    testItems: parts.test.length,
    mlflowParentRunId: folder.info.mlflow_parent_run_id,
    durationS: (performance.now() - parts.started) / 1000,
  };
}
