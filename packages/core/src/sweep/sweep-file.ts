import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errorMessage, InvalidConfigError } from '../common/errors.js';
import { sha256 } from '../common/hash.js';
import { seededRandom } from '../dataset/sampling.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { isReservedName, reservedKeyProblems } from '../scorecard/reserved-keys.js';
import { issueProblems, readYaml } from '../scorecard/source-positions.js';
import { shuffle } from '../train/train-data.js';

/** Metrics a sweep can optimise (all higher is better), read from a score's `metrics.json` entry. */
export const sweepMetrics = {
  accuracy: (metrics) => metrics.accuracy,
  f1_macro: (metrics) => metrics.f1?.macro ?? null,
  f1_micro: (metrics) => metrics.f1?.micro ?? null,
  f1_weighted: (metrics) => metrics.f1?.weighted ?? null,
  precision_macro: (metrics) => metrics.precision?.macro ?? null,
  recall_macro: (metrics) => metrics.recall?.macro ?? null,
  cohen_kappa: (metrics) => metrics.cohen_kappa,
  gwet_ac1: (metrics) => metrics.gwet_ac1,
} satisfies Record<string, (metrics: ScoreMetrics) => number | null>;

export type SweepMetric = keyof typeof sweepMetrics;

const range = z
  .object({
    min: z.number(),
    max: z.number(),
    /** Draw uniformly on a log scale (min must be > 0). */
    log: z.boolean().default(false),
    /** Round draws to whole numbers. */
    integer: z.boolean().default(false),
  })
  .strict()
  .refine((value) => value.min <= value.max, 'write min <= max')
  .refine((value) => !value.log || value.min > 0, 'log ranges need min > 0');

const validation = z.union([
  z.object({ folds: z.number().int().min(2).max(20) }).strict(),
  z.object({ holdout: z.number().gt(0).lt(1) }).strict(),
]);

export const sweepSchema = z
  .object({
    /** `grid`: every combination of the listed values; `random`: `trials` seeded draws. */
    method: z.enum(['grid', 'random']).default('grid'),
    /** Random search only: how many trials. */
    trials: z.number().int().min(1).max(10_000).optional(),
    /** Seed of the random draws and of the folds (the models' own seeds stay as their settings say). */
    seed: z.number().int().min(0).default(0),
    metric: z
      .enum(Object.keys(sweepMetrics) as [SweepMetric, ...SweepMetric[]])
      .default('f1_macro'),
    /** k-fold (`{ folds: 3 }`, default) or one holdout share of the training items. */
    validation: validation.default({ folds: 3 }),
    /** Setting (dotted for nested: `features.word_ngrams`) → list of values, or a range. */
    parameters: z
      .record(z.string().min(1), z.union([z.array(z.unknown()).min(1), range]))
      .refine((value) => Object.keys(value).length > 0, 'list at least one setting to vary'),
  })
  .strict()
  .superRefine((sweep, context) => {
    if (sweep.method === 'random' && sweep.trials === undefined)
      context.addIssue({
        code: 'custom',
        path: ['trials'],
        message: 'random search needs trials: N',
      });
    if (sweep.method === 'grid' && sweep.trials !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['trials'],
        message: 'a grid runs every combination; remove trials or use method: random',
      });
    for (const [name, values] of Object.entries(sweep.parameters)) {
      if (sweep.method === 'grid' && !Array.isArray(values))
        context.addIssue({
          code: 'custom',
          path: ['parameters', name],
          message: 'a grid needs a list of values; ranges are for method: random',
        });
      const reserved = name.split('.').find(isReservedName);
      if (reserved)
        context.addIssue({
          code: 'custom',
          path: ['parameters', name],
          message: `unknown setting "${reserved}": a reserved name, never a setting; remove it`,
        });
      if (name === 'model')
        context.addIssue({
          code: 'custom',
          path: ['parameters', name],
          message: 'the model file is where the best model is written; it cannot vary',
        });
    }
  });

export type SweepSpec = z.output<typeof sweepSchema>;

/** A loaded sweep file. */
export interface SweepFile {
  path: string;
  spec: SweepSpec;
  /** SHA-256 of the file's text: a resumed sweep must use the same file. */
  hash: string;
}

/** Reads and checks a sweep file; every problem is reported at once with its line. */
export async function loadSweepFile(path: string): Promise<SweepFile> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidConfigError([
      { file: path, path: '', message: `cannot read the sweep file: ${errorMessage(error)}` },
    ]);
  }
  const { raw, positions } = readYaml(source, path, 'sweep file');
  const reserved = reservedKeyProblems(raw, positions);
  if (reserved.length > 0) throw new InvalidConfigError(reserved);
  const checked = sweepSchema.safeParse(raw);
  if (!checked.success)
    throw new InvalidConfigError(
      issueProblems(checked.error.issues, positions, [], () => Object.keys(sweepSchema.shape)),
    );
  return { path, spec: checked.data, hash: sha256(source) };
}

/** One trial: the settings it sets, by dotted name. */
export type TrialParameters = Record<string, unknown>;

/** The trials of a sweep, in the order they run (the same for the same file, always). */
export function sweepTrials(spec: SweepSpec): TrialParameters[] {
  const names = Object.keys(spec.parameters);
  const lists = names.map((name) => spec.parameters[name]);
  const random = seededRandom(spec.seed);
  if (lists.every(Array.isArray)) {
    const grid = combinations(names, lists as unknown[][]);
    if (spec.method === 'grid') return grid;
    // Random search over lists only: draw without repeating a combination.
    return shuffle(grid, random).slice(0, spec.trials);
  }
  return Array.from({ length: spec.trials ?? 1 }, () =>
    Object.fromEntries(
      names.map((name) => {
        const values = spec.parameters[name]!;
        if (Array.isArray(values)) return [name, values[Math.floor(random() * values.length)]];
        return [name, draw(values, random())];
      }),
    ),
  );
}

function combinations(names: readonly string[], lists: readonly unknown[][]): TrialParameters[] {
  let trials: TrialParameters[] = [{}];
  names.forEach((name, index) => {
    trials = trials.flatMap((trial) => lists[index]!.map((value) => ({ ...trial, [name]: value })));
  });
  return trials;
}

function draw(range: { min: number; max: number; log: boolean; integer: boolean }, unit: number) {
  const value = range.log
    ? Math.exp(Math.log(range.min) + unit * (Math.log(range.max) - Math.log(range.min)))
    : range.min + unit * (range.max - range.min);
  return range.integer ? Math.round(value) : Number(value.toPrecision(6));
}

/** Settings with a trial's values set (dotted names reach into nested settings). */
export function withParameters(settings: unknown, parameters: TrialParameters): unknown {
  const result = structuredClone(settings) as Record<string, unknown>;
  for (const [name, value] of Object.entries(parameters)) {
    const path = name.split('.');
    let target = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      target[key] = next && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = value;
  }
  return result;
}
