import { createHash } from 'node:crypto';
import { numericField, seededRandom, sha256, type TrainItemV1 } from '@plexus/core';
import { Featurizer, type FitOptions, termStatistics } from './featurizer.js';
import type { ForestFile } from './forest-model.js';
import { type ForestSettings, featuresPerSplit } from './forest-settings.js';
import { textHash, trainedTextsField } from './trained-texts.js';
import { toMatrix } from './training-matrix.js';
import { growTree, type TreeArrays } from './tree-builder.js';

export interface TrainForestOptions {
  settings: ForestSettings;
  /** The score's labels, in declared order: the model's class order. */
  labels: readonly string[];
  items: readonly TrainItemV1[];
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface TrainedForest {
  file: ForestFile;
  problems: { id: string; message: string }[];
}

/** The trees one shard grew, and what it grew them on. */
export interface GrownShard {
  shard: number;
  trees: { index: number; tree: TreeArrays }[];
  /** SHA-256 of the shard's items in the order they were used. */
  digest: string;
  items: number;
  /** Items per class index. */
  classCounts: number[];
  /** `textHash` of each item's text (what scoring checks: `trainedTexts`), Spark's shards too. */
  textHashes?: string[];
}

/** The seed of tree `index`: trees can be grown in any order or place and still be the same. */
export function treeSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** The shard of an item: from its id alone, so any machine puts it in the same one. */
export function shardOf(id: string, shards: number): number {
  return shards === 1 ? 0 : Number.parseInt(sha256('shard', id).slice(0, 12), 16) % shards;
}

/** The indices of the trees shard `shard` grows: t with t mod shards = shard. */
export function shardTrees(shard: number, shards: number, trees: number): number[] {
  const indices: number[] = [];
  for (let index = shard; index < trees; index += shards) indices.push(index);
  return indices;
}

/** The featurizer's options from a score's `features` settings. */
export function fitOptions(features: ForestSettings['features']): FitOptions {
  return {
    wordNgrams: features.word_ngrams,
    charNgrams: features.char_ngrams,
    lowercase: features.lowercase,
    sublinearTf: features.sublinear_tf,
    idf: features.idf,
    maxFeatures: features.text ? features.max_features : 0,
    minDf: features.min_df,
    hashingBits: features.text && features.vocabulary === 'hashing' ? features.hashing_bits : null,
    numericFields: features.numeric_fields,
  };
}

/** Why an item cannot be featurized (a numeric field missing or not a number), if it cannot. */
export function featureProblem(item: TrainItemV1, settings: ForestSettings): string | undefined {
  for (const field of settings.features.numeric_fields) {
    const read = numericField(item.metadata, field);
    if ('problem' in read) return read.problem;
  }
  return undefined;
}

/** The texts a featurizer is fitted on (none for numeric-only features). */
export function fitSources(items: readonly TrainItemV1[], settings: ForestSettings) {
  return settings.features.text ? items : [];
}

/** Items per class index. */
export function classCountsOf(items: readonly TrainItemV1[], labels: readonly string[]): number[] {
  const counts = new Array<number>(labels.length).fill(0);
  for (const item of items) counts[labels.indexOf(item.label)]! += 1;
  return counts;
}

/** `balanced`: n / (classes present * count of the class), as scikit-learn computes it. */
export function classWeights(counts: readonly number[], mode: 'none' | 'balanced'): number[] {
  if (mode === 'none') return counts.map(() => 1);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const present = counts.filter((count) => count > 0).length;
  return counts.map((count) => (count > 0 ? total / (present * count) : 1));
}

/** Grows a shard's trees on bootstrap samples of its items (in the order given). */
export function growShard(options: {
  settings: ForestSettings;
  labels: readonly string[];
  featurizer: Featurizer;
  items: readonly TrainItemV1[];
  shard: number;
  /** Class weights from the whole training set. */
  weights: readonly number[];
  signal?: AbortSignal;
  onTree?: (grown: number, total: number) => void;
}): GrownShard {
  const { settings, labels, featurizer } = options;
  const hash = createHash('sha256');
  const textHashes: string[] = [];
  const vectors = options.items.map((item) => {
    textHashes.push(textHash(item.text));
    const text = settings.features.text ? item.text : '';
    hash.update(
      JSON.stringify([
        item.id,
        item.text,
        settings.features.numeric_fields.map((field) => item.metadata[field] ?? null),
        item.label,
      ]),
    );
    return featurizer.transform({ ...item, text });
  });
  const classes = options.items.map((item) => labels.indexOf(item.label));
  const matrix = toMatrix(vectors, classes, featurizer.featureCount, labels.length);
  const perSplit = featuresPerSplit(settings.max_features, matrix.featureCount);
  const indices = shardTrees(options.shard, settings.shards, settings.trees);
  const trees: GrownShard['trees'] = [];
  for (const index of matrix.rowCount > 0 ? indices : []) {
    options.signal?.throwIfAborted();
    const random = seededRandom(treeSeed(settings.seed, index));
    const weights = new Float64Array(matrix.rowCount);
    for (let draw = 0; draw < matrix.rowCount; draw += 1)
      weights[Math.floor(random() * matrix.rowCount)]! += 1;
    for (let row = 0; row < matrix.rowCount; row += 1)
      weights[row] = weights[row]! * options.weights[matrix.classes[row]!]!;
    const tree = growTree(
      matrix,
      weights,
      {
        maxDepth: settings.max_depth ?? Number.POSITIVE_INFINITY,
        minSamplesLeaf: settings.min_samples_leaf,
        minSamplesSplit: 2,
        featuresPerSplit: perSplit,
      },
      random,
    );
    tree.gain = tree.gain.map((gain) => Number(gain.toPrecision(6)));
    trees.push({ index, tree });
    options.onTree?.(trees.length, indices.length);
  }
  return {
    shard: options.shard,
    trees,
    digest: hash.digest('hex'),
    items: options.items.length,
    classCounts: classCountsOf(options.items, labels),
    textHashes,
  };
}

/** The model file from the shards' trees (any order), as one local training would write it. */
export function assembleForest(options: {
  settings: ForestSettings;
  labels: readonly string[];
  featurizer: Featurizer;
  shards: readonly GrownShard[];
}): ForestFile {
  const { settings, labels, featurizer } = options;
  const shards = [...options.shards].sort((left, right) => left.shard - right.shard);
  const trees = shards
    .flatMap((shard) => shard.trees)
    .sort((left, right) => left.index - right.index)
    .map((grown) => grown.tree);
  if (trees.length !== settings.trees)
    throw new Error(
      `${settings.trees - trees.length} of ${settings.trees} trees were not grown: every shard needs items (use fewer shards)`,
    );
  const classCounts = Object.fromEntries(labels.map((label) => [label, 0]));
  for (const shard of shards)
    shard.classCounts.forEach((count, index) => {
      classCounts[labels[index]!]! += count;
    });
  return {
    format: 'plexus-forest',
    version: 1,
    labels: [...labels],
    featurizer: featurizer.json,
    trees,
    training: {
      trees: settings.trees,
      max_depth: settings.max_depth,
      max_features: settings.max_features,
      features_per_split: featuresPerSplit(settings.max_features, featurizer.featureCount),
      min_samples_leaf: settings.min_samples_leaf,
      class_weight: settings.class_weight,
      seed: settings.seed,
      ...(settings.shards > 1 ? { shards: settings.shards } : {}),
      items: shards.reduce((sum, shard) => sum + shard.items, 0),
      class_counts: classCounts,
      feature_count: featurizer.featureCount,
      data_sha256:
        shards.length === 1 ? shards[0]!.digest : sha256(...shards.map((shard) => shard.digest)),
      ...trainedTextsField(shards),
    },
  };
}

/** Items by shard, each shard in id order (so the shard is the same whatever the input order). */
export function itemsByShard<Item extends { id: string }>(
  items: readonly Item[],
  shards: number,
): Item[][] {
  const groups = Array.from({ length: shards }, (): Item[] => []);
  for (const item of items) groups[shardOf(item.id, shards)]!.push(item);
  for (const group of groups)
    group.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  return groups;
}

/** Fits the featurizer and grows the forest; items whose features fail are left out and reported. */
export function trainForest(options: TrainForestOptions): TrainedForest {
  const { settings, labels } = options;
  const problems: { id: string; message: string }[] = [];
  const items = options.items.filter((item) => {
    const problem = featureProblem(item, settings);
    if (problem) problems.push({ id: item.id, message: problem });
    return problem === undefined;
  });
  if (items.length === 0) throw new Error('no training item has usable features');
  const featurizer = Featurizer.fromStatistics(
    termStatistics(fitSources(items, settings), fitOptions(settings.features)),
    fitOptions(settings.features),
  );
  const weights = classWeights(classCountsOf(items, labels), settings.class_weight);
  // One shard keeps the items' own order (models trained before shards existed stay identical).
  const groups = settings.shards === 1 ? [items] : itemsByShard(items, settings.shards);
  let grown = 0;
  const shards = groups.map((shardItems, shard) =>
    growShard({
      settings,
      labels,
      featurizer,
      items: shardItems,
      shard,
      weights,
      signal: options.signal,
      onTree: () => {
        grown += 1;
        if ((grown % 10 === 0 || grown === settings.trees) && options.onProgress)
          options.onProgress(`${grown}/${settings.trees} trees`);
      },
    }),
  );
  return { file: assembleForest({ settings, labels, featurizer, shards }), problems };
}
