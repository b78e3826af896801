import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InvalidConfigError } from '../common/errors.js';
import { seededRandom } from '../dataset/sampling.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { ScoreEnvV1 } from '../spec/score-spec.js';
import { type LabelledItem, measureScore, shuffle, stratifiedSplit } from '../train/train-data.js';
import {
  type SweepMetric,
  type SweepSpec,
  sweepMetrics,
  type TrialParameters,
  withParameters,
} from './sweep-file.js';
import type { SweepFolder, TrialRecord } from './sweep-folder.js';
import type { SweepOptions } from './sweep-options.js';

export /** Validates every trial's settings before any training: a bad value fails the sweep at once. */
function trialSettings(entry: LoadedScore, trials: readonly TrialParameters[], file: string) {
  return trials.map((parameters, index) => {
    const checked = entry.factory.settingsSchema.safeParse(
      withParameters(entry.settings, parameters),
    );
    if (checked.success) return checked.data;
    throw new InvalidConfigError(
      checked.error.issues.map((issue) => ({
        file,
        path: `parameters.${issue.path.join('.')}`,
        message: `trial ${index + 1} (${JSON.stringify(parameters)}): ${issue.message}`,
      })),
    );
  });
}

/** Stratified k folds: each label's items shuffled (seeded) and dealt round the folds. */
export function kFolds<Item extends { label: string }>(
  items: readonly Item[],
  folds: number,
  seed: number,
): { train: Item[]; test: Item[] }[] {
  const random = seededRandom(seed);
  const foldOf = new Map<Item, number>();
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const group = groups.get(item.label);
    if (group) group.push(item);
    else groups.set(item.label, [item]);
  }
  let dealt = 0;
  for (const group of groups.values())
    for (const item of shuffle(group, random)) foldOf.set(item, dealt++ % folds);
  return Array.from({ length: folds }, (_, fold) => ({
    train: items.filter((item) => foldOf.get(item) !== fold),
    test: items.filter((item) => foldOf.get(item) === fold),
  }));
}

export function validationSplits(train: readonly LabelledItem[], spec: SweepSpec) {
  return 'folds' in spec.validation
    ? kFolds(train, spec.validation.folds, spec.seed)
    : [stratifiedSplit(train, spec.validation.holdout, spec.seed)];
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface TrialContext {
  options: SweepOptions;
  entry: LoadedScore;
  env: ScoreEnvV1;
  splits: { train: LabelledItem[]; test: LabelledItem[] }[];
  folder: SweepFolder;
}

export async function runTrial(
  context: TrialContext,
  trial: number,
  parameters: TrialParameters,
  settings: unknown,
): Promise<TrialRecord> {
  const { options, entry, env, folder } = context;
  const started = performance.now();
  const perFold: Partial<Record<SweepMetric, number[]>> = {};
  const outDir = join(folder.dir, 'trial-models', `trial-${trial}`);
  const record = (fields: Partial<TrialRecord>): TrialRecord => ({
    trial,
    parameters,
    status: 'ok',
    metric: null,
    metric_std: null,
    metrics: {},
    folds: context.splits.length,
    duration_s: Number(((performance.now() - started) / 1000).toFixed(3)),
    ...fields,
  });
  try {
    for (const split of context.splits) {
      const trained = await entry.factory.train!({
        settings,
        env,
        items: split.train,
        outDir,
        signal: options.signal,
      });
      const metrics = await measureScore({
        scorecard: options.scorecard,
        entry,
        env,
        settings: trained.settings,
        items: split.test,
        seed: options.sweep.spec.seed,
        signal: options.signal,
      });
      for (const [name, read] of Object.entries(sweepMetrics)) {
        const value = read(metrics);
        if (value !== null)
          perFold[name as SweepMetric] = [...(perFold[name as SweepMetric] ?? []), value];
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return record({ status: 'error', error: errorMessage(error) });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  const optimised = perFold[folder.info.metric] ?? [];
  const average = mean(optimised);
  const spread =
    average === null
      ? null
      : Math.sqrt(mean(optimised.map((value) => (value - average) ** 2)) ?? 0);
  return record({
    metric: average,
    metric_std: spread,
    metrics: Object.fromEntries(
      Object.keys(sweepMetrics).map((name) => [name, mean(perFold[name as SweepMetric] ?? [])]),
    ),
  });
}
