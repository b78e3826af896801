import { createHash } from 'node:crypto';
import { seededRandom, type TrainItemV1 } from '@plexus/core';
import { FeatureError, Featurizer, type SparseVector } from './featurizer.js';
import type { ForestFile } from './forest-model.js';
import { type ForestSettings, featuresPerSplit } from './forest-settings.js';
import { toMatrix } from './training-matrix.js';
import { growTree, type TreeArrays } from './tree-builder.js';

export interface TrainForestOptions {
  settings: ForestSettings;
  /** The score's labels, in declared order: the model's class order. */
  labels: readonly string[];
  items: readonly TrainItemV1[];
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Grow only these trees (by index in 0..trees-1); default all. */
  treeIndices?: readonly number[];
}

export interface TrainedForest {
  file: ForestFile;
  problems: { id: string; message: string }[];
}

/** The seed of tree `index`: trees can be grown in any order or place and still be the same. */
export function treeSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Fits the featurizer and grows the forest; items whose features fail are left out and reported. */
export function trainForest(options: TrainForestOptions): TrainedForest {
  const { settings, labels } = options;
  const { features } = settings;
  const featurizer = Featurizer.fit(features.text ? options.items : [], {
    wordNgrams: features.word_ngrams,
    charNgrams: features.char_ngrams,
    lowercase: features.lowercase,
    sublinearTf: features.sublinear_tf,
    idf: features.idf,
    maxFeatures: features.text ? features.max_features : 0,
    minDf: features.min_df,
    hashingBits: features.text && features.vocabulary === 'hashing' ? features.hashing_bits : null,
    numericFields: features.numeric_fields,
  });
  const problems: { id: string; message: string }[] = [];
  const vectors: SparseVector[] = [];
  const classes: number[] = [];
  const hash = createHash('sha256');
  for (const item of options.items) {
    try {
      const vector = features.text
        ? featurizer.transform(item)
        : featurizer.transform({ ...item, text: '' });
      vectors.push(vector);
      classes.push(labels.indexOf(item.label));
      hash.update(
        JSON.stringify([
          item.id,
          item.text,
          numericPart(item, features.numeric_fields),
          item.label,
        ]),
      );
    } catch (error) {
      if (!(error instanceof FeatureError)) throw error;
      problems.push({ id: item.id, message: error.message });
    }
  }
  if (vectors.length === 0) throw new Error('no training item has usable features');
  const matrix = toMatrix(vectors, classes, featurizer.featureCount, labels.length);
  const classWeights = weightsOf(classes, labels.length, settings.class_weight);
  const perSplit = featuresPerSplit(settings.max_features, matrix.featureCount);
  const indices =
    options.treeIndices ?? Array.from({ length: settings.trees }, (_, index) => index);
  const trees: TreeArrays[] = [];
  for (const index of indices) {
    options.signal?.throwIfAborted();
    const random = seededRandom(treeSeed(settings.seed, index));
    const weights = new Float64Array(matrix.rowCount);
    for (let draw = 0; draw < matrix.rowCount; draw += 1)
      weights[Math.floor(random() * matrix.rowCount)]! += 1;
    for (let row = 0; row < matrix.rowCount; row += 1)
      weights[row] = weights[row]! * classWeights[matrix.classes[row]!]!;
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
    trees.push(tree);
    if ((trees.length % 10 === 0 || trees.length === indices.length) && options.onProgress)
      options.onProgress(`${trees.length}/${indices.length} trees`);
  }
  const classCounts = Object.fromEntries(labels.map((label) => [label, 0]));
  for (const classIndex of classes) classCounts[labels[classIndex]!]! += 1;
  const file: ForestFile = {
    format: 'plexus-forest',
    version: 1,
    labels: [...labels],
    featurizer: featurizer.json,
    trees,
    training: {
      trees: settings.trees,
      max_depth: settings.max_depth,
      max_features: settings.max_features,
      features_per_split: perSplit,
      min_samples_leaf: settings.min_samples_leaf,
      class_weight: settings.class_weight,
      seed: settings.seed,
      items: vectors.length,
      class_counts: classCounts,
      feature_count: featurizer.featureCount,
      data_sha256: hash.digest('hex'),
    },
  };
  return { file, problems };
}

function numericPart(item: TrainItemV1, fields: readonly string[]): unknown[] {
  return fields.map((field) => item.metadata[field] ?? null);
}

/** `balanced`: n / (classes * count of the class), as scikit-learn computes it. */
function weightsOf(
  classes: readonly number[],
  classCount: number,
  mode: 'none' | 'balanced',
): Float64Array {
  const weights = new Float64Array(classCount).fill(1);
  if (mode === 'none') return weights;
  const counts = new Float64Array(classCount);
  for (const classIndex of classes) counts[classIndex]! += 1;
  const present = counts.filter((count) => count > 0).length;
  counts.forEach((count, classIndex) => {
    weights[classIndex] = count > 0 ? classes.length / (present * count) : 1;
  });
  return weights;
}
