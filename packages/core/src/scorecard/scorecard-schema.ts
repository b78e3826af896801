import { z } from 'zod';
import { processorSchema } from '../processors/processors.js';

export const conditionSchema = z
  .object({
    /** Run only when the upstream label compares so to `value`. */
    operator: z.enum(['==', '!=', 'in', 'not in']).optional(),
    value: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** Run only when the upstream's confidence is below this (a cascade's second tier). */
    confidence_below: z.number().gt(0).lte(1).optional(),
    /** Run even when the upstream was skipped or failed (its result is then null). */
    optional: z.boolean().optional(),
  })
  .strict()
  .refine((condition) => (condition.operator === undefined) === (condition.value === undefined), {
    message: 'operator and value go together',
  });

/** `depends_on`: a list of score names, or a map of score name to a condition on its result. */
/** One condition of `depends_on`'s map form. */
export type ConditionConfig = z.output<typeof conditionSchema>;

export const dependsOnSchema = z.union([
  z.array(z.string().min(1)),
  z.record(z.string().min(1), conditionSchema),
]);

/** Fields every score has; everything else on a score belongs to its kind's settings. */
export const commonScoreFields = {
  /** Unique name of the score in the scorecard; also its result column. */
  name: z.string().min(1),
  /** `<package>/<kind>`: `heuristic/keywords`, or a third-party npm package's name then `/kind`. */
  class: z.string().min(3),
  /** The valid labels of the score. */
  labels: z.array(z.string().min(1)).min(1).optional(),
  /** Dataset column with the gold label; default: a column named like the score. */
  label_column: z.string().min(1).optional(),
  /** Where the gold label comes from: the dataset (default) or reviewers' labels (`plexus feedback import`). */
  gold: z.enum(['dataset', 'feedback']).optional(),
  /** A calibration file (`plexus calibrate` writes it), relative to the scorecard: the score's confidence is mapped through it. */
  calibration: z.string().min(1).optional(),
  /** Self-consistency: ask N times (with a temperature above 0); the answer is the majority, its confidence the agreeing share. */
  samples: z.number().int().min(2).max(50).optional(),
  depends_on: dependsOnSchema.optional(),
  processors: z.array(processorSchema).optional(),
  /** How labels are compared in metrics; default: ignoring case, with n/a-style values as `na`. */
  normalize_labels: z
    .object({ case: z.boolean().optional(), na: z.boolean().optional() })
    .strict()
    .optional(),
  /** A disabled score gives `disabled` for every item and costs nothing. */
  disabled: z.boolean().optional(),
  description: z.string().optional(),
};

export const scoreSchema = z.object(commonScoreFields).catchall(z.unknown());

export const dataSchema = z
  .object({
    /** Dataset path, relative to the scorecard. */
    path: z.string().min(1).optional(),
    format: z.enum(['csv', 'jsonl', 'parquet']).optional(),
    /** Column with item ids; default `id`, else the row number. */
    id_column: z.string().min(1).optional(),
    /** Column with the item text; default `text`. */
    text_column: z.string().min(1).optional(),
  })
  .strict();

export const scorecardSchema = z
  .object({
    name: z.string().min(1),
    /** Short identifier used in run folder names; default derived from `name`. */
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, - and _')
      .optional(),
    description: z.string().optional(),
    data: dataSchema.optional(),
    processors: z.array(processorSchema).optional(),
    scores: z.array(scoreSchema).min(1),
  })
  .strict();

/**
 * The keys a scorecard may have where an unknown one is: top level, or `data` (`data.label_column`
 * was offered the top-level keys); elsewhere none are listed rather than the wrong ones.
 */
export function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return Object.keys(scorecardSchema.shape);
  return path.length === 1 && path[0] === 'data' ? Object.keys(dataSchema.shape) : [];
}

export type ScorecardFile = z.output<typeof scorecardSchema>;
export type ScoreFile = z.output<typeof scoreSchema>;
export type DataConfig = z.output<typeof dataSchema>;
export type DependsOnConfig = z.output<typeof dependsOnSchema>;

/** The names of the common score fields, so kind settings are everything else. */
export const commonScoreFieldNames: ReadonlySet<string> = new Set(Object.keys(commonScoreFields));

/** JSON Schema of the scorecard file, for editors. */
export function scorecardJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scorecardSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
