import { bootstrapIntervalsOrReasons, type IntervalOrReason } from '../metrics/bootstrap.js';
import { type MatrixMetrics, presentMatrixMetrics } from '../metrics/classification.js';
import { judgedPair } from '../metrics/judged-pair.js';
import { mcnemarExact } from '../metrics/mcnemar.js';
import type { ResultLine } from '../run/result-line.js';
import { normalizeLabel } from '../text/labels.js';
import type {
  ComparedCounts,
  CompareErrors,
  ScoreComparison,
  TrainingSplit,
  UnmeasuredComparison,
} from './compare-types.js';
import { testsAgree, verdictOf, withTraining } from './compare-verdict.js';

export type {
  CompareErrors,
  MeasuredComparison,
  ScoreComparison,
  TrainingSplit,
  UnmeasuredComparison,
} from './compare-types.js';

/** The predicted "label" of an item a run ended in error: never a gold label, so always wrong. */
const errorLabel = '\u0001error';

/** An item due an answer: its gold label and the run's answer (`errorLabel` for an error). */
export interface DueResult {
  gold: string;
  predicted: string;
  /** The answer came from a model trained on this item (`trace.in_training`). */
  inTraining?: true;
}

/** Whether the run failed on the item (its answer is an error). */
export function isFailed(due: DueResult): boolean {
  return due.predicted === errorLabel;
}

/**
 * The items in each model's training data among those compared: with `--errors exclude`, not
 * those the other run failed on (left out).
 */
function comparedTraining(
  training: TrainingSplit | undefined,
  errors: CompareErrors,
): TrainingSplit | undefined {
  if (!training || errors !== 'exclude') return training;
  return {
    ...training,
    a: training.a - training.aBesideError,
    b: training.b - training.bBesideError,
    aBesideError: 0,
    bBesideError: 0,
  };
}

/** Whether a line's answer came from a model trained on its item (a forest's `trace.in_training`). */
function inTraining(line: ResultLine): boolean {
  const trace = line.trace as { in_training?: unknown } | null | undefined;
  return typeof trace === 'object' && trace !== null && trace.in_training === true;
}

/**
 * The item as compare counts it, or undefined when it was not due an answer or has no gold label.
 * The answer equals the gold label exactly when the line says it is `correct` (see `judgedPair`).
 * `normalize`: how the line's score compares labels (its `normalize_labels`).
 */
export function dueResult(
  line: ResultLine,
  gold?: string,
  normalize: (label: string) => string = normalizeLabel,
): DueResult | undefined {
  if (line.label === null) return undefined;
  if (line.status === 'error')
    return { gold: gold ?? normalize(line.label), predicted: errorLabel };
  const pair = judgedPair(line, normalize);
  if (!pair) return undefined;
  const reference = gold ?? pair.gold;
  const trained = inTraining(line) ? { inTraining: true as const } : {};
  if (pair.correct) return { gold: reference, predicted: reference, ...trained };
  const predicted =
    pair.predicted !== reference ? pair.predicted : `${pair.predicted} (judged wrong)`;
  return { gold: reference, predicted, ...trained };
}

/** Macro F1 over the labels, the error column not being a class: an error only lowers recall. */
function macroF1(metrics: MatrixMetrics): number {
  const values = Object.entries(metrics.f1.per_class)
    .filter(([label]) => label !== errorLabel)
    .map(([, value]) => value);
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Items alike: run A's gold and answer, run B's answer and gold (the same gold unless the runs'
 * gold differs, `allowDifferentGold`: each run is measured against its own).
 */
type Cell = { cell: { gold: string; a: string; b: string; goldB: string }; count: number };

/** The triples' cells, with the errors of each run counted; `exclude` drops cells with an error. */
function cellsOf(counts: Map<string, number>, errors: CompareErrors) {
  let errorsA = 0;
  let errorsB = 0;
  let left = 0;
  const cells: Cell[] = [];
  // In key order, not the order the runs' lines came in: a seeded interval of the same counts is
  // the same interval.
  const keys = [...counts.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (const key of keys) {
    const count = counts.get(key)!;
    const [gold, a, b, goldB] = key.split('\u0000') as [string, string, string, string];
    if (a === errorLabel) errorsA += count;
    if (b === errorLabel) errorsB += count;
    if (errors === 'exclude' && (a === errorLabel || b === errorLabel)) {
      left += count;
      continue;
    }
    cells.push({ cell: { gold, a, b, goldB }, count });
  }
  return { cells, errorsA, errorsB, left };
}

/** Why nothing was compared: no item due in both, or (`exclude`) none answered by both. */
function noItemsReason(left: number): string {
  if (left === 0) return 'no item with a gold label was due an answer in both runs';
  return `no item answered by both runs (the ${left} items due in both failed in one run or both; --errors exclude leaves them out)`;
}

/**
 * Accuracy and macro F1 of each run against its own gold, over the cells weighted by `weights`
 * (one per cell).
 */
function statisticsOf(cells: readonly Cell[]) {
  const labels = [
    ...new Set(cells.flatMap(({ cell }) => [cell.gold, cell.a, cell.b, cell.goldB])),
  ].sort();
  const index = new Map(labels.map((label, position) => [label, position]));
  return (weights: readonly number[]): [number, number, number, number] => {
    const matrixA = labels.map(() => labels.map(() => 0));
    const matrixB = labels.map(() => labels.map(() => 0));
    weights.forEach((weight, position) => {
      const { gold, a, b, goldB } = cells[position]!.cell;
      matrixA[index.get(gold)!]![index.get(a)!]! += weight;
      matrixB[index.get(goldB)!]![index.get(b)!]! += weight;
    });
    const metricsA = presentMatrixMetrics(labels, matrixA);
    const metricsB = presentMatrixMetrics(labels, matrixB);
    return [metricsA.accuracy, metricsB.accuracy, macroF1(metricsA), macroF1(metricsB)];
  };
}

/** Items only run A got right, and only run B. */
function discordant(cells: readonly Cell[]): { onlyA: number; onlyB: number } {
  let onlyA = 0;
  let onlyB = 0;
  for (const { cell, count } of cells) {
    const rightA = cell.a === cell.gold;
    const rightB = cell.b === cell.goldB;
    if (rightA && !rightB) onlyA += count;
    if (rightB && !rightA) onlyB += count;
  }
  return { onlyA, onlyB };
}

/** The metric fields when there is no item to compare: null, with the reason. */
function absentMetrics(reason: string): Omit<
  UnmeasuredComparison,
  keyof ComparedCounts | 'in_training_a' | 'in_training_b' | 'outside_training'
> & {
  verdict_test: 'mcnemar';
  verdict: string;
} {
  return {
    no_metrics_reason: reason,
    accuracy_a: null,
    accuracy_b: null,
    accuracy_delta: null,
    accuracy_delta_ci95: null,
    accuracy_delta_ci95_reason: reason,
    f1_macro_a: null,
    f1_macro_b: null,
    f1_macro_delta: null,
    f1_macro_delta_ci95: null,
    f1_macro_delta_ci95_reason: reason,
    mcnemar_p: null,
    significant: false,
    verdict_test: 'mcnemar',
    tests_agree: null,
    verdict: `nothing to compare: ${reason}`,
  };
}

export function compareScore(options: {
  scoreA: string;
  scoreB: string;
  counts: Map<string, number>;
  alpha: number;
  errors: CompareErrors;
  seed: number;
  /** The items either model was trained on: counted, and the comparison without them. */
  training?: TrainingSplit;
  /** Items due in one run only (`due_only_a`, `due_only_b`); absent for `outside_training`. */
  dueOnly?: { a: number; b: number };
}): ScoreComparison {
  const { scoreA, scoreB, alpha } = options;
  const training = comparedTraining(options.training, options.errors);
  const trained = training !== undefined && training.a + training.b > 0;
  const outside = trained
    ? compareScore({
        ...options,
        counts: training.outside,
        training: undefined,
        dueOnly: undefined,
      })
    : null;
  const trainingFields = {
    in_training_a: training?.a ?? 0,
    in_training_b: training?.b ?? 0,
    outside_training: outside,
  };
  const { cells, errorsA, errorsB, left } = cellsOf(options.counts, options.errors);
  const n = cells.reduce((sum, entry) => sum + entry.count, 0);
  const { onlyA, onlyB } = discordant(cells);
  const counted = {
    score_a: scoreA,
    score_b: scoreB,
    n,
    errors_a: errorsA,
    errors_b: errorsB,
    ...(options.dueOnly ? { due_only_a: options.dueOnly.a, due_only_b: options.dueOnly.b } : {}),
    only_a_correct: onlyA,
    only_b_correct: onlyB,
    ...trainingFields,
  };
  const statistics = statisticsOf(cells);
  const intervals = bootstrapIntervalsOrReasons(
    cells,
    (weights) => {
      const [a, b, fa, fb] = statistics(weights);
      return [b - a, fb - fa];
    },
    options.seed,
  );
  if (n === 0 || !intervals) {
    const absent = absentMetrics(noItemsReason(left));
    return { ...counted, ...absent, verdict: withTraining(absent.verdict, n, training, outside) };
  }
  const [accuracyA, accuracyB, f1A, f1B] = statistics(cells.map((entry) => entry.count));
  const p = mcnemarExact(onlyA, onlyB);
  const significant = p < alpha;
  const delta = accuracyB - accuracyA;
  const [accuracyInterval, f1Interval] = intervals as [IntervalOrReason, IntervalOrReason];
  const interval = accuracyInterval.ci95;
  return {
    ...counted,
    no_metrics_reason: null,
    accuracy_a: accuracyA,
    accuracy_b: accuracyB,
    accuracy_delta: delta,
    accuracy_delta_ci95: interval,
    accuracy_delta_ci95_reason: accuracyInterval.reason,
    f1_macro_a: f1A,
    f1_macro_b: f1B,
    f1_macro_delta: f1B - f1A,
    f1_macro_delta_ci95: f1Interval.ci95,
    f1_macro_delta_ci95_reason: f1Interval.reason,
    mcnemar_p: p,
    significant,
    verdict_test: 'mcnemar',
    tests_agree: interval ? testsAgree(interval, significant) : null,
    verdict: withTraining(
      verdictOf({
        scoreA,
        scoreB,
        delta,
        interval,
        intervalReason: accuracyInterval.reason,
        p,
        alpha,
        significant,
      }),
      n,
      training,
      outside,
    ),
  };
}
