import { z } from 'zod';

const range = z
  .tuple([z.number().int().min(1).max(8), z.number().int().min(1).max(8)])
  .refine(([low, high]) => low <= high, 'write [smallest, largest], e.g. [1, 2]');

export const featureSettingsSchema = z
  .object({
    /** Use the item's text (TF-IDF of n-grams); false for numeric fields only. */
    text: z.boolean().default(true),
    /** Word n-gram sizes; default words and word pairs. */
    word_ngrams: range.default([1, 2]),
    /** Character n-gram sizes within words, e.g. [3, 5]; default none. */
    char_ngrams: range.nullable().default(null),
    lowercase: z.boolean().default(true),
    /** `learned`: the most frequent terms of the training set; `hashing`: 2^hashing_bits buckets. */
    vocabulary: z.enum(['learned', 'hashing']).default('learned'),
    /** Largest learned vocabulary. */
    max_features: z.number().int().min(1).max(1_000_000).default(20_000),
    /** Learned terms must appear in at least this many training items. */
    min_df: z.number().int().min(1).default(1),
    hashing_bits: z.number().int().min(4).max(24).default(18),
    /** Weight terms by inverse document frequency. */
    idf: z.boolean().default(true),
    /** 1 + log(count) instead of the raw count. */
    sublinear_tf: z.boolean().default(false),
    /** Numeric metadata fields used as features, e.g. [duration_seconds]. */
    numeric_fields: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine(
    (features) => features.text || features.numeric_fields.length > 0,
    'with text: false, list numeric_fields',
  );

export const forestSettingsSchema = z
  .object({
    /** Model file, relative to the scorecard; `plexus train` writes it. */
    model: z.string().min(1),
    features: featureSettingsSchema.prefault({}),
    /** Number of trees. */
    trees: z.number().int().min(1).max(5000).default(100),
    /** Deepest split level; default unlimited. */
    max_depth: z.number().int().min(1).nullable().default(null),
    /** Features tried per split: sqrt, log2, all, a fraction (0..1] or a count. */
    max_features: z.union([z.enum(['sqrt', 'log2', 'all']), z.number().positive()]).default('sqrt'),
    min_samples_leaf: z.number().int().min(1).default(1),
    /** `balanced` weighs classes inversely to their frequency. */
    class_weight: z.enum(['none', 'balanced']).default('none'),
    /**
     * Grow tree t on a bootstrap sample of shard t mod `shards` only (items by a hash of their
     * id); `plexus spark train` grows each shard's trees in its own task. 1: every tree on all items.
     */
    shards: z.number().int().min(1).max(4096).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Binary scores: choose `positive_label` when its probability is at least this. */
    threshold: z.number().gt(0).lt(1).optional(),
    /** The label `threshold` applies to; default the first declared label. */
    positive_label: z.string().min(1).optional(),
  })
  .strict();

export type ForestSettings = z.output<typeof forestSettingsSchema>;

/** Features tried per split for `max_features` with this many features. */
export function featuresPerSplit(
  setting: ForestSettings['max_features'],
  features: number,
): number {
  if (setting === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(features)));
  if (setting === 'log2') return Math.max(1, Math.floor(Math.log2(features)));
  if (setting === 'all') return features;
  if (setting <= 1) return Math.max(1, Math.floor(setting * features));
  return Math.min(Math.floor(setting), features);
}
