import { InvalidConfigError } from '../common/errors.js';
import type { DatasetProblem } from '../dataset/dataset.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import type { LoadedScore, LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import {
  hashSplit,
  measureScore,
  readTrainData,
  stratifiedSplit,
  trainableScores,
  trainEnv,
  trainingDataPath,
} from './train-data.js';

/** How the held-out test items are chosen. */
export type SplitMethod = 'stratified' | 'hash';

export interface TrainOptions {
  /** The scorecard, loaded with `create: false` (models may not exist yet). */
  scorecard: LoadedScorecard;
  /** Dataset path; default the scorecard's `data.path`. */
  data?: string;
  /** Train only these scores; default every trainable score. */
  scores?: readonly string[];
  /** Share of items held out for testing; default 0.2, 0 trains on everything. */
  testFraction?: number;
  /**
   * `stratified` (default): a seeded share of each label's items. `hash`: by a hash of the item
   * id and the seed, whatever the dataset's order (as `plexus spark train` splits).
   */
  split?: SplitMethod;
  /** Seed of the split; default 0. */
  seed?: number;
  /** Write models into this folder instead of where each score's settings point. */
  outDir?: string;
  cacheDir?: string;
  /** Resolves `models:/` URIs when the trained model is loaded for testing. */
  resolveModel?: (uri: string) => Promise<string>;
  /** Settings merged over each score's own for this training (e.g. `{ shards: 4 }`). */
  settingsOverride?: Record<string, unknown>;
  signal?: AbortSignal;
  onProgress?: (score: string, message: string) => void;
  onDatasetProblem?: (problem: DatasetProblem) => void;
}

/** What training one score did. */
export interface TrainedScore {
  name: string;
  modelPath: string;
  trainItems: number;
  testItems: number;
  /** Items without a gold label for the score. */
  unlabeled: number;
  /** Gold labels the score does not declare, with how many items had them (left out). */
  unknownLabels: Record<string, number>;
  /** Items the trainer left out, with why. */
  problems: readonly { id: string; message: string }[];
  facts: readonly string[];
  /** Metrics on the held-out items, as in `metrics.json`; null without a test split. */
  metrics: ScoreMetrics | null;
  durationS: number;
}

/** Checks a test fraction: [0, 1). */
export function checkTestFraction(fraction: number): number {
  if (!(fraction >= 0 && fraction < 1))
    throw new InvalidConfigError([{ path: '--test-fraction', message: 'must be in [0, 1)' }]);
  return fraction;
}

/** Splits labelled items into train and test sides with the chosen method. */
export function splitItems<Item extends { id: string; label: string }>(
  items: readonly Item[],
  options: { fraction: number; seed: number; method?: SplitMethod },
): { train: Item[]; test: Item[] } {
  return options.method === 'hash'
    ? hashSplit(items, options.fraction, options.seed)
    : stratifiedSplit(items, options.fraction, options.seed);
}

function overridden(entry: LoadedScore, override: Record<string, unknown> | undefined): unknown {
  if (!override) return entry.settings;
  const checked = entry.factory.settingsSchema.safeParse({
    ...(entry.settings as object),
    ...override,
  });
  if (checked.success) return checked.data;
  throw new InvalidConfigError(
    Object.keys(override).map((key) => ({
      path: `--${key}`,
      message: `score "${entry.name}" (${entry.className}) cannot take it: ${checked.error.issues[0]?.message}`,
    })),
  );
}

/** Trains each trainable score on its gold labels, saves its model and measures it on a held-out split. */
export async function train(options: TrainOptions): Promise<TrainedScore[]> {
  const { scorecard } = options;
  const fraction = checkTestFraction(options.testFraction ?? 0.2);
  const seed = options.seed ?? 0;
  const entries = trainableScores(scorecard, options.scores);
  const path = trainingDataPath(scorecard, options.data);
  const trained: TrainedScore[] = [];
  for (const entry of entries) {
    const started = performance.now();
    const data = await readTrainData({
      scorecard,
      entry,
      path,
      onDatasetProblem: trained.length === 0 ? options.onDatasetProblem : undefined,
    });
    const split = splitItems(data.items, { fraction, seed, method: options.split });
    if (split.train.length === 0)
      throw new InvalidConfigError([
        { path: '--test-fraction', message: 'no item is left for training; lower it' },
      ]);
    const env = trainEnv(scorecard, entry, options);
    const settings = overridden(entry, options.settingsOverride);
    const result = await entry.factory.train!({
      settings,
      env,
      items: split.train,
      outDir: options.outDir,
      signal: options.signal,
      onProgress: (message) => options.onProgress?.(entry.name, message),
    });
    const metrics =
      split.test.length > 0
        ? await measureScore({
            scorecard,
            entry,
            env,
            settings: result.settings,
            items: split.test,
            seed,
            signal: options.signal,
          })
        : null;
    trained.push({
      name: entry.name,
      modelPath: result.modelPath,
      trainItems: split.train.length,
      testItems: split.test.length,
      unlabeled: data.unlabeled,
      unknownLabels: data.unknownLabels,
      problems: result.problems,
      facts: result.facts,
      metrics,
      durationS: (performance.now() - started) / 1000,
    });
  }
  return trained;
}
