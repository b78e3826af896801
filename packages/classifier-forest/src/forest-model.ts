import { z } from 'zod';
import { Featurizer, featurizerJsonSchema, type SparseVector } from './featurizer.js';
import type { TreeArrays } from './tree-builder.js';

const treeSchema = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  gain: z.array(z.number()),
  leaf: z.array(z.array(z.number()).nullable()),
});

/** Training parameters and provenance stored with a model. */
export const trainingInfoSchema = z.looseObject({
  trees: z.number(),
  seed: z.number(),
  items: z.number(),
  data_sha256: z.string(),
  /** `textHash` of each training item's text, sorted and joined (see `trainedTexts`). */
  text_hashes: z
    .string()
    .regex(/^[0-9a-f]*$/)
    .optional(),
});

/** A saved model file: `format`, `version`, labels, featurizer, trees and how it was trained. */
export const forestFileSchema = z.object({
  format: z.literal('plexus-forest'),
  version: z.literal(1),
  labels: z.array(z.string()).min(1),
  featurizer: featurizerJsonSchema,
  trees: z.array(treeSchema).min(1),
  training: trainingInfoSchema,
});
export type ForestFile = z.infer<typeof forestFileSchema>;

interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  gain: Float64Array;
  /** Per node: start of its leaf entries in `leafClass`/`leafProbability`, and the end at +1. */
  leafStart: Int32Array;
  leafClass: Int32Array;
  leafProbability: Float64Array;
}

/** A prediction: probability per label index, and the features that weighed most on the paths. */
export interface ForestPrediction {
  probabilities: Float64Array;
  influences: { feature: number; weight: number; value: number }[];
}

/** A model file of a later format version: upgrading reads it, training again would replace it. */
export class NewerModelError extends Error {}

/** A loaded forest with its featurizer: predicts label probabilities for texts and metadata. */
export class ForestModel {
  readonly featurizer: Featurizer;
  private readonly trees: CompiledTree[];
  private readonly dense: Float64Array;

  constructor(readonly file: ForestFile) {
    this.featurizer = new Featurizer(file.featurizer);
    this.trees = file.trees.map((tree, index) => compileTree(tree, index, file, this.featurizer));
    this.dense = new Float64Array(this.featurizer.featureCount);
  }

  get labels(): readonly string[] {
    return this.file.labels;
  }

  /** Averages the trees' leaf distributions for one feature vector. */
  predict(vector: SparseVector, explain = false): ForestPrediction {
    const { dense } = this;
    for (let index = 0; index < vector.indices.length; index += 1)
      dense[vector.indices[index]!] = vector.values[index]!;
    const probabilities = new Float64Array(this.labels.length);
    const influence = explain ? new Map<number, number>() : undefined;
    for (const tree of this.trees) {
      let node = 0;
      while (tree.feature[node]! >= 0) {
        const feature = tree.feature[node]!;
        influence?.set(feature, (influence.get(feature) ?? 0) + tree.gain[node]!);
        node = dense[feature]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      }
      for (let entry = tree.leafStart[node]!; entry < tree.leafStart[node + 1]!; entry += 1)
        probabilities[tree.leafClass[entry]!]! += tree.leafProbability[entry]!;
    }
    for (let index = 0; index < probabilities.length; index += 1)
      probabilities[index] = probabilities[index]! / this.trees.length;
    const influences = influence
      ? [...influence]
          .sort((left, right) => right[1] - left[1] || left[0] - right[0])
          .slice(0, 3)
          .map(([feature, weight]) => ({ feature, weight, value: dense[feature]! }))
      : [];
    for (let index = 0; index < vector.indices.length; index += 1)
      dense[vector.indices[index]!] = 0;
    return { probabilities, influences };
  }

  /** Reads and checks a model file's text; throws with what is wrong. */
  static parse(text: string): ForestModel {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      // The parser's message quotes the file's first bytes: only the position is kept.
      const position = /at position (\d+)/.exec((error as Error).message)?.[1];
      const at = position === undefined ? '' : ` at byte ${position}`;
      throw new Error(
        `not valid JSON${at} (not a plexus-forest model, or a truncated one); its contents are not shown`,
      );
    }
    const { format, version } = (json ?? {}) as { format?: unknown; version?: unknown };
    if (format === 'plexus-forest' && typeof version === 'number' && version > 1)
      throw new NewerModelError(
        `a plexus-forest model of version ${version}, written by a newer @plexus/classifier-forest (this one reads version 1); upgrade @plexus/classifier-forest to score with it`,
      );
    const parsed = forestFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `not a plexus-forest v1 model: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
    }
    return new ForestModel(parsed.data);
  }

  /** The model file's text: stable key order and numbers, so the same training gives the same bytes. */
  static serialize(file: ForestFile): string {
    return `${JSON.stringify(file)}\n`;
  }
}

/** Turns saved arrays into typed arrays, checking that every index points where it should. */
function compileTree(
  tree: TreeArrays,
  index: number,
  file: ForestFile,
  featurizer: Featurizer,
): CompiledTree {
  const nodes = tree.feature.length;
  const fail = (message: string): never => {
    throw new Error(`not a valid model: tree ${index}: ${message}`);
  };
  for (const key of ['threshold', 'left', 'right', 'gain', 'leaf'] as const)
    if (tree[key].length !== nodes) fail(`"${key}" has ${tree[key].length} entries, not ${nodes}`);
  const leafStart = new Int32Array(nodes + 1);
  const leafClass: number[] = [];
  const leafProbability: number[] = [];
  for (let node = 0; node < nodes; node += 1) {
    leafStart[node] = leafClass.length;
    const feature = tree.feature[node]!;
    if (feature >= 0) {
      if (feature >= featurizer.featureCount)
        fail(`node ${node} splits on unknown feature ${feature}`);
      for (const child of [tree.left[node]!, tree.right[node]!])
        if (child <= node || child >= nodes) fail(`node ${node} has child ${child} out of range`);
      continue;
    }
    const leaf = tree.leaf[node];
    if (!leaf || leaf.length === 0 || leaf.length % 2 !== 0)
      fail(`leaf ${node} has no distribution`);
    for (let entry = 0; entry < leaf!.length; entry += 2) {
      const classIndex = leaf![entry]!;
      if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= file.labels.length)
        fail(`leaf ${node} names class ${classIndex} of ${file.labels.length}`);
      leafClass.push(classIndex);
      leafProbability.push(leaf![entry + 1]!);
    }
  }
  leafStart[nodes] = leafClass.length;
  return {
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    gain: Float64Array.from(tree.gain),
    leafStart,
    leafClass: Int32Array.from(leafClass),
    leafProbability: Float64Array.from(leafProbability),
  };
}
