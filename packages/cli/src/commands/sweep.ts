import {
  differenceText,
  InvalidConfigError,
  type LoadedScorecard,
  loadSweepFile,
  type SplitMethod,
  type SweepResult,
  type SweepTracker,
  shareText,
  sweep,
  type TrialRecord,
} from '@plexus/core';
import { checkModelTargets } from '../model-targets.js';
import { type CliIo, skippedRowLine } from '../output.js';
import { formatSummaryTable } from '../summary-table.js';
import { trackerKind } from '../tracking.js';

export interface SweepFlags {
  sweep: string;
  score?: string[];
  data?: string;
  testFraction: number;
  split: SplitMethod;
  seed: number;
  out?: string;
  sweepDir?: string;
  resume?: string;
  cacheDir?: string;
  tracker?: string;
  alias?: string;
  register?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/**
 * A trial's metric and its spread over the folds: the metric never 1.000 when below it
 * (`shareText`), a spread that is not 0 never 0.000 (`differenceText`: 0.0002, not "± 0.000").
 */
export function metricText(metric: number | null, spread: number | null): string {
  return `${shareText(metric)} ± ${spread === null ? '—' : differenceText(spread, 3)}`;
}

function trialLine(record: TrialRecord, total: number): string {
  const settings = Object.entries(record.parameters)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(' ');
  const outcome =
    record.status === 'ok'
      ? metricText(record.metric, record.metric_std)
      : `error: ${record.error}`;
  return `trial ${record.trial}/${total}: ${outcome} (${record.duration_s.toFixed(1)} s) ${settings}`;
}

/** Trials best first, at most `limit`. */
function trialTable(result: SweepResult, limit: number): string {
  const lines = result.trials
    .slice(0, limit)
    .map((record) => `  ${trialLine(record, result.trials.length)}`);
  if (result.trials.length > limit)
    lines.push(`  … ${result.trials.length - limit} more in trials.csv`);
  return lines.join('\n');
}

/** The one score a sweep tunes: `--score`, or the scorecard's only trainable score. */
function sweptScore(card: LoadedScorecard, names: readonly string[] | undefined): string {
  if (names && names.length === 1) return names[0]!;
  const trainable = card.scores.filter((entry) => entry.factory.train);
  if ((!names || names.length === 0) && trainable.length === 1) return trainable[0]!.name;
  throw new InvalidConfigError([
    { path: '--score', message: 'a sweep tunes one score: pass --score NAME once' },
  ]);
}

/** `plexus train --sweep`: runs the sweep, then registers the best model when tracked in MLflow. */
export async function runSweepCommand(options: {
  card: LoadedScorecard;
  path: string;
  flags: SweepFlags;
  io: CliIo;
  signal: AbortSignal;
}): Promise<'completed' | 'interrupted'> {
  const { card, flags, io } = options;
  const score = sweptScore(card, flags.score);
  const spec = await loadSweepFile(flags.sweep);
  // Without --out the model goes into the sweep's own new folder.
  if (flags.out) checkModelTargets(card, [score], flags.out);
  const mlflow = flags.register === true || trackerKind(flags.tracker) === 'mlflow';
  const tracker = mlflow ? await import('@plexus/mlflow-tracker') : undefined;
  const client = tracker ? new tracker.MlflowClient({ attempts: 2 }) : undefined;
  const sweepTracker: SweepTracker | undefined =
    tracker && client ? tracker.mlflowSweepTracker(client) : undefined;
  const talk = (text: string) => {
    if (!flags.quiet && !flags.json) io.stderr(text);
  };
  const result = await sweep({
    scorecard: card,
    score,
    sweep: spec,
    data: flags.data,
    testFraction: flags.testFraction,
    split: flags.split,
    seed: flags.seed,
    dir: flags.sweepDir,
    resumeDir: flags.resume,
    modelDir: flags.out,
    cacheDir: flags.cacheDir,
    tracker: sweepTracker,
    signal: options.signal,
    onTrackerError: (error) =>
      io.stderr(
        `MLflow: ${error instanceof Error ? error.message : String(error)}; the sweep goes on, recorded in its folder only\n`,
      ),
    onTrial: (record, total) => talk(`${trialLine(record, total)}\n`),
    onProgress: (message) => talk(`${score}: ${message}\n`),
    onDatasetProblem: (problem) => talk(skippedRowLine(flags.data ?? 'data', problem)),
  });
  if (result.status === 'interrupted') {
    io.stderr(
      `Sweep interrupted after ${result.trials.length} trials; continue it with: plexus train ${options.path} --score "${score}" --sweep ${flags.sweep} --resume ${result.dir}\n`,
    );
    return 'interrupted';
  }
  let registered: Awaited<ReturnType<NonNullable<typeof tracker>['registerBest']>> | undefined;
  if (tracker && client && result.best?.mlflow_run_id) {
    const name = tracker.registeredModelName(card.key, score);
    try {
      registered = await tracker.registerBest({ client, result, name, alias: flags.alias });
    } catch (error) {
      io.stderr(
        `MLflow: the best model was not registered (${error instanceof Error ? error.message : String(error)}); register it later with: plexus mlflow register ${result.modelPath} --name ${name} --alias ${flags.alias ?? 'challenger'}\n`,
      );
    }
  }
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ ...result, registered: registered && { name: registered.version.name, version: registered.version.version, alias: registered.alias, previous: registered.previous?.version ?? null } }, null, 2)}\n`,
    );
    return 'completed';
  }
  const best = result.best!;
  const { validation } = spec.spec;
  const scheme =
    'folds' in validation ? `${validation.folds}-fold` : `${validation.holdout} holdout`;
  io.stdout(
    `Sweep of ${score}: ${result.trials.length} trials by ${result.metric} (${scheme} on ${result.trainItems} training items), best first:\n`,
  );
  io.stdout(`${trialTable(result, 10)}\n`);
  io.stdout(
    `Best: trial ${best.trial}, retrained on all ${result.trainItems} training items: ${result.modelPath}\n`,
  );
  if (result.testMetrics)
    io.stdout(
      `\nHeld-out test metrics (${result.testItems} items):\n${formatSummaryTable({ scores: { [score]: result.testMetrics } })}\n`,
    );
  io.stdout(`\nSweep folder: ${result.dir} (trials.csv, trials.jsonl, sweep.json)\n`);
  if (registered) {
    const { version, alias, previous } = registered;
    io.stdout(`Registered models:/${version.name}/${version.version} as @${alias}\n`);
    if (previous && previous.version !== version.version)
      io.stdout(`@${alias} moved from version ${previous.version} to ${version.version}\n`);
    if (alias !== 'champion') {
      const champion = await tracker!.aliasedVersion(client!, version.name, 'champion');
      io.stdout(
        champion
          ? `@champion stays at version ${champion.version}; promote after comparing: plexus mlflow alias ${version.name} champion ${version.version}\n`
          : `No @champion yet; to make this one champion: plexus mlflow alias ${version.name} champion ${version.version}\n`,
      );
    }
  }
  return 'completed';
}
