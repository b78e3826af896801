import { resolve } from 'node:path';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { InvalidConfigError } from '../common/errors.js';
import { sha256 } from '../common/hash.js';
import { type DatasetProblem, goldColumns, readDataset } from '../dataset/dataset.js';
import { seededRandom } from '../dataset/sampling.js';
import { resultLines } from '../engine/engine.js';
import { type ScoreMetrics, ScoreMetricsAccumulator } from '../metrics/score-metrics.js';
import { applyProcessorsAsync } from '../processors/processors.js';
import type { LoadedScore, LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import type { ScoreEnvV1, TrainItemV1 } from '../spec/score-spec.js';
import { matchLabel } from '../text/labels.js';

/** A training item with the text as read (before processors), which the engine needs to measure it. */
export interface LabelledItem extends TrainItemV1 {
  rawText: string;
}

/** A score's labelled items in a dataset, and what was left out. */
export interface TrainData {
  items: LabelledItem[];
  /** Items without a gold label for the score. */
  unlabeled: number;
  /** Gold labels the score does not declare, with how many items had them (left out). */
  unknownLabels: Record<string, number>;
}

/** The trainable scores named (all when none are), with an error for an unknown or untrainable one. */
export function trainableScores(
  scorecard: LoadedScorecard,
  names?: readonly string[],
): LoadedScore[] {
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
  const trainable = scorecard.scores.filter((entry) => entry.factory.train);
  if (trainable.length === 0)
    throw new InvalidConfigError([
      { path: scorecard.path, message: 'no trainable score (for example forest/random-forest)' },
    ]);
  return trainable;
}

/** The dataset to train on: `--data`, else the scorecard's `data.path`. */
export function trainingDataPath(scorecard: LoadedScorecard, data?: string): string {
  if (data) return resolve(data);
  if (scorecard.data?.path) return resolve(scorecard.baseDir, scorecard.data.path);
  throw new InvalidConfigError([
    { path: '--data', message: 'no dataset: pass --data FILE or set data.path in the scorecard' },
  ]);
}

/** Reads the items with a gold label for one score, its processors applied. */
export async function readTrainData(options: {
  scorecard: LoadedScorecard;
  entry: LoadedScore;
  path: string;
  onDatasetProblem?: (problem: DatasetProblem) => void;
}): Promise<TrainData> {
  const { scorecard, entry } = options;
  if (entry.labels.length === 0)
    throw new InvalidConfigError([
      { path: `scores.${entry.name}.labels`, message: 'a trainable score needs its labels listed' },
    ]);
  const gold = goldColumns(scorecard.scores);
  const data: TrainData = { items: [], unlabeled: 0, unknownLabels: {} };
  const rows = readDataset({
    path: options.path,
    idColumn: scorecard.data?.id_column,
    textColumn: scorecard.data?.text_column,
    gold: { [entry.name]: gold[entry.name] ?? [entry.name] },
    onProblem: options.onDatasetProblem,
  });
  for await (const row of rows) {
    const raw = row.labels[entry.name];
    if (raw === undefined) {
      data.unlabeled += 1;
      continue;
    }
    const label = matchLabel(raw, entry.labels);
    if (label === undefined) {
      data.unknownLabels[raw] = (data.unknownLabels[raw] ?? 0) + 1;
      continue;
    }
    const text = await applyProcessorsAsync(row.text, entry.processors);
    data.items.push({ id: row.id, text, rawText: row.text, metadata: row.metadata, label });
  }
  if (data.items.length === 0)
    throw new InvalidConfigError([
      {
        path: `scores.${entry.name}`,
        message: nothingToTrain(options.path, entry, data, gold[entry.name] ?? [entry.name]),
      },
    ]);
  return data;
}

/**
 * Why no item can train a score, and the fix that fits: an empty file, gold labels that are none
 * of the score's, or no gold label at all (it said "set label_column" to all three).
 */
function nothingToTrain(
  path: string,
  entry: LoadedScore,
  data: TrainData,
  columns: readonly string[],
): string {
  const unknown = Object.entries(data.unknownLabels).sort((left, right) => right[1] - left[1]);
  const rows = data.unlabeled + unknown.reduce((sum, [, count]) => sum + count, 0);
  const none = `${path} has no items with a gold label for "${entry.name}" among [${entry.labels.join(', ')}]`;
  if (rows === 0) return `${none}: it has no rows to train on`;
  if (unknown.length > 0) {
    const shown = unknown
      .slice(0, 10)
      .map(([label, count]) => `${JSON.stringify(label)} ×${count}`)
      .join(', ');
    return `${none}: its ${rows} rows' gold labels are ${shown}${unknown.length > 10 ? ', …' : ''}; set labels: to them, or label_column to the column that holds the score's labels`;
  }
  const looked = columns.map((column) => `"${column}"`).join(' or ');
  return `${none}: none of its ${rows} rows has a gold label (looked in column ${looked}); label them, or set label_column to the column that holds them`;
}

/** The environment a score is trained and measured in. */
export function trainEnv(
  scorecard: LoadedScorecard,
  entry: LoadedScore,
  options: { cacheDir?: string; resolveModel?: (uri: string) => Promise<string> },
): ScoreEnvV1 {
  const env: ScoreEnvV1 = {
    name: entry.name,
    labels: entry.labels,
    baseDir: scorecard.baseDir,
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    dependsOn: entry.dependsOn.map((dependency) => dependency.score),
  };
  if (options.resolveModel) env.resolveModel = options.resolveModel;
  return env;
}

/** Scores labelled items with a trained model through the engine, with the evaluation metrics. */
export async function measureScore(options: {
  scorecard: LoadedScorecard;
  entry: LoadedScore;
  env: ScoreEnvV1;
  /** Settings that load the trained model. */
  settings: unknown;
  items: readonly LabelledItem[];
  seed: number;
  signal?: AbortSignal;
}): Promise<ScoreMetrics> {
  const { entry } = options;
  const score = await entry.factory.create(options.settings, options.env);
  const accumulator = new ScoreMetricsAccumulator(entry.normalization);
  try {
    const lines = resultLines({
      // Only this score: its dependencies are not part of training.
      scores: [{ ...entry, score, dependsOn: [] }],
      items: options.items.map((item) => ({
        id: item.id,
        text: item.rawText,
        metadata: { ...item.metadata },
        labels: { [entry.name]: item.label },
      })),
      scorecard: options.scorecard.name,
      signal: options.signal,
    });
    for await (const line of lines) accumulator.add(line);
  } finally {
    await score.close?.();
  }
  return accumulator.finish(options.seed);
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
    shuffle(group, random);
    const take = Math.min(Math.round(group.length * fraction), group.length - 1);
    for (const index of group.slice(0, take)) testIndices.add(index);
  }
  return {
    train: items.filter((_, index) => !testIndices.has(index)),
    test: items.filter((_, index) => testIndices.has(index)),
  };
}

/** Fisher-Yates in place with a seeded generator. */
export function shuffle<T>(values: T[], random: () => number): T[] {
  for (let position = values.length - 1; position > 0; position -= 1) {
    const other = Math.floor(random() * (position + 1));
    [values[position], values[other]] = [values[other]!, values[position]!];
  }
  return values;
}

/**
 * A number in [0, 1) from an item id and a seed alone: splits made with it do not depend on the
 * order or the other rows of the dataset, so Spark and a local run put each item on the same side.
 */
export function idFraction(id: string, seed: number): number {
  return Number.parseInt(sha256(String(seed), id).slice(0, 12), 16) / 2 ** 48;
}

/** Puts an item in the test side when `idFraction(id, seed) < fraction`. */
export function hashSplit<Item extends { id: string }>(
  items: readonly Item[],
  fraction: number,
  seed: number,
): { train: Item[]; test: Item[] } {
  const train: Item[] = [];
  const test: Item[] = [];
  for (const item of items) (idFraction(item.id, seed) < fraction ? test : train).push(item);
  return { train, test };
}
