import { bootstrapIntervalsOrReasons, type IntervalOrReason } from '../metrics/bootstrap.js';
import { type MatrixMetrics, presentMatrixMetrics } from '../metrics/classification.js';
import { judgedPair } from '../metrics/judged-pair.js';
import { mcnemarExact } from '../metrics/mcnemar.js';
import type { ResultLine } from '../run/result-line.js';
import { normalizeLabel } from '../text/labels.js';
import { testsAgree, verdictOf } from './compare-verdict.js';

/** How `compareRuns` treats an item a run ended in error: as a wrong answer, or left out. */
export type CompareErrors = 'wrong' | 'exclude';

/** What every compared score has: names and counts (true counts, 0 meaning none). */
interface ComparedCounts {
  score_a: string;
  score_b: string;
  /**
   * Items compared: with a gold label and due an answer in both runs (answered or failed; skips
   * are not due). With `errors: 'exclude'`, only those both runs answered.
   */
  n: number;
  /** Of the items due in both runs, those each run ended in error (counted wrong, or left out). */
  errors_a: number;
  errors_b: number;
  /** Items only run A got right, and only run B. */
  only_a_correct: number;
  only_b_correct: number;
  /** The test `significant` and the verdict follow: McNemar's exact test at alpha. */
  verdict_test: 'mcnemar';
  verdict: string;
}

/** A score compared on at least one item: every figure is computed. */
export interface MeasuredComparison extends ComparedCounts {
  no_metrics_reason: null;
  accuracy_a: number;
  accuracy_b: number;
  /** accuracy_b - accuracy_a, with a paired bootstrap 95% interval of the same difference. */
  accuracy_delta: number;
  /**
   * Null where the resamples cannot vary (one item; no item only one run got right: every
   * resample's difference is 0), a one-value interval that would claim certainty; the reason in
   * `accuracy_delta_ci95_reason` (null when the interval is there).
   */
  accuracy_delta_ci95: [number, number] | null;
  accuracy_delta_ci95_reason: string | null;
  f1_macro_a: number;
  f1_macro_b: number;
  f1_macro_delta: number;
  f1_macro_delta_ci95: [number, number] | null;
  f1_macro_delta_ci95_reason: string | null;
  /** McNemar's exact test on the discordant items. */
  mcnemar_p: number;
  /** McNemar's p below alpha. */
  significant: boolean;
  /**
   * Whether the bootstrap interval of `accuracy_delta` excludes 0 exactly when McNemar's test is
   * significant; when false the verdict says the tests disagree (treat as borderline). Null
   * without an interval.
   */
  tests_agree: boolean | null;
}

/** A score with no item to compare (`n` is 0): no figure, and the reason. */
export interface UnmeasuredComparison extends ComparedCounts {
  /** Why there is no figure, e.g. "no item answered by both runs (…)". */
  no_metrics_reason: string;
  accuracy_a: null;
  accuracy_b: null;
  accuracy_delta: null;
  accuracy_delta_ci95: null;
  /** `no_metrics_reason`. */
  accuracy_delta_ci95_reason: string;
  f1_macro_a: null;
  f1_macro_b: null;
  f1_macro_delta: null;
  f1_macro_delta_ci95: null;
  f1_macro_delta_ci95_reason: string;
  mcnemar_p: null;
  significant: false;
  tests_agree: null;
}

/**
 * One score compared between two runs, on the items both were due to answer, with a gold label.
 * `no_metrics_reason` is null when the figures are there, else it says why they are all null.
 */
export type ScoreComparison = MeasuredComparison | UnmeasuredComparison;

/** The predicted "label" of an item a run ended in error: never a gold label, so always wrong. */
const errorLabel = '\u0001error';

/** An item due an answer: its gold label and the run's answer (`errorLabel` for an error). */
export interface DueResult {
  gold: string;
  predicted: string;
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
  if (pair.correct) return { gold: reference, predicted: reference };
  const predicted =
    pair.predicted !== reference ? pair.predicted : `${pair.predicted} (judged wrong)`;
  return { gold: reference, predicted };
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
function absentMetrics(reason: string): Omit<UnmeasuredComparison, keyof ComparedCounts> & {
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
}): ScoreComparison {
  const { scoreA, scoreB, alpha } = options;
  const { cells, errorsA, errorsB, left } = cellsOf(options.counts, options.errors);
  const n = cells.reduce((sum, entry) => sum + entry.count, 0);
  const { onlyA, onlyB } = discordant(cells);
  const counted = {
    score_a: scoreA,
    score_b: scoreB,
    n,
    errors_a: errorsA,
    errors_b: errorsB,
    only_a_correct: onlyA,
    only_b_correct: onlyB,
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
  if (n === 0 || !intervals) return { ...counted, ...absentMetrics(noItemsReason(left)) };
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
    verdict: verdictOf({
      scoreA,
      scoreB,
      delta,
      interval,
      intervalReason: accuracyInterval.reason,
      p,
      alpha,
      significant,
    }),
  };
}
