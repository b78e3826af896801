import { bootstrapIntervals } from '../metrics/bootstrap.js';
import { type MatrixMetrics, presentMatrixMetrics } from '../metrics/classification.js';
import { judgedPair } from '../metrics/judged-pair.js';
import { mcnemarExact } from '../metrics/mcnemar.js';
import type { ResultLine } from '../run/result-line.js';
import { normalizeLabel } from '../text/labels.js';

/** How `compareRuns` treats an item a run ended in error: as a wrong answer, or left out. */
export type CompareErrors = 'wrong' | 'exclude';

/** One score compared between two runs, on the items both were due to answer, with a gold label. */
export interface ScoreComparison {
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
  accuracy_a: number;
  accuracy_b: number;
  /** accuracy_b - accuracy_a, with a paired bootstrap 95% interval of the same difference. */
  accuracy_delta: number;
  accuracy_delta_ci95: [number, number];
  f1_macro_a: number;
  f1_macro_b: number;
  f1_macro_delta: number;
  f1_macro_delta_ci95: [number, number];
  /** Items only run A got right, and only run B. */
  only_a_correct: number;
  only_b_correct: number;
  /** McNemar's exact test on the discordant items. */
  mcnemar_p: number;
  significant: boolean;
  verdict: string;
}

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
 */
export function dueResult(line: ResultLine, gold?: string): DueResult | undefined {
  if (line.label === null) return undefined;
  if (line.status === 'error')
    return { gold: gold ?? normalizeLabel(line.label), predicted: errorLabel };
  const pair = judgedPair(line, normalizeLabel);
  if (!pair) return undefined;
  const reference = gold ?? pair.gold;
  if (pair.correct) return { gold: reference, predicted: reference };
  const predicted =
    pair.predicted !== reference ? pair.predicted : `${pair.predicted} (judged wrong)`;
  return { gold: reference, predicted };
}

function percent(value: number): string {
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
}

/** Macro F1 over the labels, the error column not being a class: an error only lowers recall. */
function macroF1(metrics: MatrixMetrics): number {
  const values = Object.entries(metrics.f1.per_class)
    .filter(([label]) => label !== errorLabel)
    .map(([, value]) => value);
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The triples' cells, with the errors of each run counted; `exclude` drops cells with an error. */
function cellsOf(counts: Map<string, number>, errors: CompareErrors) {
  let errorsA = 0;
  let errorsB = 0;
  const cells: { cell: { gold: string; a: string; b: string }; count: number }[] = [];
  for (const [key, count] of counts) {
    const [gold, a, b] = key.split('\u0000') as [string, string, string];
    if (a === errorLabel) errorsA += count;
    if (b === errorLabel) errorsB += count;
    if (errors === 'exclude' && (a === errorLabel || b === errorLabel)) continue;
    cells.push({ cell: { gold, a, b }, count });
  }
  return { cells, errorsA, errorsB };
}

/** The plain verdict; `interval` is of B - A, as `delta`. */
function verdictOf(options: {
  scoreA: string;
  scoreB: string;
  n: number;
  delta: number;
  interval: [number, number];
  p: number;
  significant: boolean;
}): string {
  const { delta, p } = options;
  const [low, high] = options.interval;
  if (options.n === 0) return 'no items in common with gold labels: nothing to compare';
  const test = `McNemar p = ${p.toPrecision(2)}`;
  if (!options.significant)
    return `not significant: accuracy differs by ${percent(delta)} points, B - A (95% CI ${percent(low)} to ${percent(high)}; ${test})`;
  // The verdict names the better run, so its interval is of the same difference (better minus
  // worse): B - A when B wins, A - B (the B - A interval negated and reversed) when A wins.
  const bWins = delta > 0;
  const better = bWins ? `${options.scoreB} (run B)` : `${options.scoreA} (run A)`;
  const [from, to] = bWins ? [low, high] : [-high, -low];
  return `significant: ${better} is more accurate by ${Math.abs(delta * 100).toFixed(1)} points (95% CI ${percent(from)} to ${percent(to)}; ${test})`;
}

export function compareScore(options: {
  scoreA: string;
  scoreB: string;
  counts: Map<string, number>;
  alpha: number;
  errors: CompareErrors;
  seed: number;
}): ScoreComparison {
  const { scoreA, scoreB, alpha, seed } = options;
  const { cells, errorsA, errorsB } = cellsOf(options.counts, options.errors);
  const labels = [...new Set(cells.flatMap(({ cell }) => [cell.gold, cell.a, cell.b]))].sort();
  const index = new Map(labels.map((label, position) => [label, position]));
  const statistics = (weights: readonly number[]) => {
    const matrixA = labels.map(() => labels.map(() => 0));
    const matrixB = labels.map(() => labels.map(() => 0));
    weights.forEach((weight, position) => {
      const { gold, a, b } = cells[position]!.cell;
      matrixA[index.get(gold)!]![index.get(a)!]! += weight;
      matrixB[index.get(gold)!]![index.get(b)!]! += weight;
    });
    const metricsA = presentMatrixMetrics(labels, matrixA);
    const metricsB = presentMatrixMetrics(labels, matrixB);
    return [metricsA.accuracy, metricsB.accuracy, macroF1(metricsA), macroF1(metricsB)];
  };
  const n = cells.reduce((sum, entry) => sum + entry.count, 0);
  const [accuracyA, accuracyB, f1A, f1B] =
    n > 0 ? statistics(cells.map((entry) => entry.count)) : [0, 0, 0, 0];
  const intervals = bootstrapIntervals(
    cells,
    (weights) => {
      const [a, b, fa, fb] = statistics(weights);
      return [b! - a!, fb! - fa!];
    },
    seed,
  ) ?? [
    [0, 0],
    [0, 0],
  ];
  let onlyA = 0;
  let onlyB = 0;
  for (const { cell, count } of cells) {
    if (cell.a === cell.gold && cell.b !== cell.gold) onlyA += count;
    if (cell.b === cell.gold && cell.a !== cell.gold) onlyB += count;
  }
  const p = mcnemarExact(onlyA, onlyB);
  const significant = p < alpha;
  const delta = accuracyB! - accuracyA!;
  const verdict = verdictOf({ scoreA, scoreB, n, delta, interval: intervals[0]!, p, significant });
  return {
    score_a: scoreA,
    score_b: scoreB,
    n,
    errors_a: errorsA,
    errors_b: errorsB,
    accuracy_a: accuracyA!,
    accuracy_b: accuracyB!,
    accuracy_delta: delta,
    accuracy_delta_ci95: intervals[0]!,
    f1_macro_a: f1A!,
    f1_macro_b: f1B!,
    f1_macro_delta: f1B! - f1A!,
    f1_macro_delta_ci95: intervals[1]!,
    only_a_correct: onlyA,
    only_b_correct: onlyB,
    mcnemar_p: p,
    significant,
    verdict,
  };
}
