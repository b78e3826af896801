import { resolve } from 'node:path';
import { defaultCacheDir } from './cache-dir.js';
import { type DatasetProblem, goldColumns, readDataset } from './dataset/dataset.js';
import { resultLines } from './engine.js';
import { InvalidConfigError } from './errors.js';
import { matchLabel } from './labels.js';
import type { LoadedScore, LoadedScorecard } from './loaded-scorecard.js';
import { type ScoreMetrics, ScoreMetricsAccumulator } from './metrics/score-metrics.js';
import { applyProcessors } from './processors.js';
import { seededRandom } from './sampling.js';
import type { ScoreEnvV1, TrainItemV1 } from './score-spec.js';

export interface TrainOptions {
  /** The scorecard, loaded with `create: false` (models may not exist yet). */
  scorecard: LoadedScorecard;
  /** Dataset path; default the scorecard's `data.path`. */
  data?: string;
  /** Train only these scores; default every trainable score. */
  scores?: readonly string[];
  /** Share of each label's items held out for testing; default 0.2, 0 trains on everything. */
  testFraction?: number;
  /** Seed of the split; default 0. */
  seed?: number;
  /** Write models into this folder instead of where each score's settings point. */
  outDir?: string;
  cacheDir?: string;
  /** Resolves `models:/` URIs when the trained model is loaded for testing. */
  resolveModel?: (uri: string) => Promise<string>;
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

function trainableScores(scorecard: LoadedScorecard, names?: readonly string[]): LoadedScore[] {
  const trainable = scorecard.scores.filter((entry) => entry.factory.train);
  if (names && names.length > 0) {
    return names.map((name) => {
      const entry = scorecard.scores.find((candidate) => candidate.name === name);
      if (!entry)
        throw new InvalidConfigError([{ path: '--score', message: `no score named "${name}"` }]);
      if (!entry.factory.train)
        throw new InvalidConfigError([
          { path: '--score', message: `score "${name}" (${entry.className}) cannot be trained` },
        ]);
      return entry;
    });
  }
  if (trainable.length === 0)
    throw new InvalidConfigError([
      { path: scorecard.path, message: 'no trainable score (for example forest/random-forest)' },
    ]);
  return trainable;
}

/** Splits items per label: a seeded `fraction` of each label's items for testing, at least one kept for training. */
export function stratifiedSplit<Item extends { label: string }>(
  items: readonly Item[],
  fraction: number,
  seed: number,
): { train: Item[]; test: Item[] } {
  const random = seededRandom(seed);
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const group = groups.get(item.label) ?? [];
    group.push(index);
    groups.set(item.label, group);
  });
  const testIndices = new Set<number>();
  for (const group of groups.values()) {
    for (let position = group.length - 1; position > 0; position -= 1) {
      const other = Math.floor(random() * (position + 1));
      [group[position], group[other]] = [group[other]!, group[position]!];
    }
    const take = Math.min(Math.round(group.length * fraction), group.length - 1);
    for (const index of group.slice(0, take)) testIndices.add(index);
  }
  return {
    train: items.filter((_, index) => !testIndices.has(index)),
    test: items.filter((_, index) => testIndices.has(index)),
  };
}

/** Trains each trainable score on its gold labels, saves its model and measures it on a held-out split. */
export async function train(options: TrainOptions): Promise<TrainedScore[]> {
  const { scorecard } = options;
  const fraction = options.testFraction ?? 0.2;
  if (!(fraction >= 0 && fraction < 1))
    throw new InvalidConfigError([{ path: '--test-fraction', message: 'must be in [0, 1)' }]);
  const entries = trainableScores(scorecard, options.scores);
  const path = options.data
    ? resolve(options.data)
    : scorecard.data?.path
      ? resolve(scorecard.baseDir, scorecard.data.path)
      : undefined;
  if (!path)
    throw new InvalidConfigError([
      { path: '--data', message: 'no dataset: pass --data FILE or set data.path in the scorecard' },
    ]);
  const gold = goldColumns(scorecard.scores);
  const trained: TrainedScore[] = [];
  for (const entry of entries) {
    if (entry.labels.length === 0)
      throw new InvalidConfigError([
        {
          path: `scores.${entry.name}.labels`,
          message: 'a trainable score needs its labels listed',
        },
      ]);
    const started = performance.now();
    const items: TrainItemV1[] = [];
    const rawText = new Map<string, string>();
    const unknownLabels: Record<string, number> = {};
    let unlabeled = 0;
    const rows = readDataset({
      path,
      idColumn: scorecard.data?.id_column,
      textColumn: scorecard.data?.text_column,
      gold: { [entry.name]: gold[entry.name] ?? [entry.name] },
      onProblem: trained.length === 0 ? options.onDatasetProblem : undefined,
    });
    for await (const row of rows) {
      const raw = row.labels[entry.name];
      if (raw === undefined) {
        unlabeled += 1;
        continue;
      }
      const label = matchLabel(raw, entry.labels);
      if (label === undefined) {
        unknownLabels[raw] = (unknownLabels[raw] ?? 0) + 1;
        continue;
      }
      const text = applyProcessors(row.text, entry.processors);
      items.push({ id: row.id, text, metadata: row.metadata, label });
      rawText.set(row.id, row.text);
    }
    if (items.length === 0)
      throw new InvalidConfigError([
        {
          path: `scores.${entry.name}`,
          message: `${path} has no items with a gold label for "${entry.name}" among [${entry.labels.join(', ')}]; set label_column`,
        },
      ]);
    const split = stratifiedSplit(items, fraction, options.seed ?? 0);
    const env: ScoreEnvV1 = {
      name: entry.name,
      labels: entry.labels,
      baseDir: scorecard.baseDir,
      cacheDir: options.cacheDir ?? defaultCacheDir(),
      dependsOn: entry.dependsOn.map((dependency) => dependency.score),
    };
    if (options.resolveModel) env.resolveModel = options.resolveModel;
    const result = await entry.factory.train!({
      settings: entry.settings,
      env,
      items: split.train,
      outDir: options.outDir,
      signal: options.signal,
      onProgress: (message) => options.onProgress?.(entry.name, message),
    });
    const metrics =
      split.test.length > 0
        ? await measure(
            entry,
            env,
            result.settings,
            split.test.map((item) => ({
              ...item,
              metadata: { ...item.metadata },
              text: rawText.get(item.id)!,
            })),
            options,
          )
        : null;
    trained.push({
      name: entry.name,
      modelPath: result.modelPath,
      trainItems: split.train.length,
      testItems: split.test.length,
      unlabeled,
      unknownLabels,
      problems: result.problems,
      facts: result.facts,
      metrics,
      durationS: (performance.now() - started) / 1000,
    });
  }
  return trained;
}

/** Scores the held-out items with the trained model through the engine, with the evaluation metrics. */
async function measure(
  entry: LoadedScore,
  env: ScoreEnvV1,
  settings: unknown,
  test: readonly { id: string; text: string; metadata: Record<string, unknown>; label: string }[],
  options: TrainOptions,
): Promise<ScoreMetrics> {
  const score = await entry.factory.create(settings, env);
  const accumulator = new ScoreMetricsAccumulator(entry.normalization);
  try {
    const lines = resultLines({
      // Only this score: its dependencies are not part of training.
      scores: [{ ...entry, score, dependsOn: [] }],
      items: test.map((item) => ({ ...item, labels: { [entry.name]: item.label } })),
      scorecard: options.scorecard.name,
      signal: options.signal,
    });
    for await (const line of lines) accumulator.add(line);
  } finally {
    await score.close?.();
  }
  return accumulator.finish(options.seed ?? 0);
}
