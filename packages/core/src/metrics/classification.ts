/** Precision, recall or F1 averaged three ways, and per class. */
export interface AveragedMetric {
  macro: number;
  micro: number;
  weighted: number;
  per_class: Record<string, number>;
}

/** Agreement metrics computed from a confusion matrix (rows gold, columns predicted). */
export interface MatrixMetrics {
  accuracy: number;
  precision: AveragedMetric;
  recall: AveragedMetric;
  f1: AveragedMetric;
  support: Record<string, number>;
  /** Null with one label only (gold and predicted alike): chance agreement 1, kappa 0/0. */
  cohen_kappa: number | null;
  /** Null with one label only: chance agreement divides by the number of labels minus one, 0. */
  gwet_ac1: number | null;
  /** Why `cohen_kappa` and `gwet_ac1` are null (`oneLabelAgreement`); null when they are numbers. */
  kappa_ac1_reason: string | null;
}

/** Why Cohen's kappa and Gwet's AC1 are undefined for a table of one label. */
export const oneLabelAgreement =
  'one label only (both sides gave the same single label): chance agreement is certain, so kappa is 0/0 and AC1 divides by the number of labels minus one, 0';

/** a / b, or 0 when b is 0 (scikit-learn's `zero_division=0`). */
function divide(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function average(
  perClass: readonly number[],
  support: readonly number[],
  micro: number,
  labels: readonly string[],
): AveragedMetric {
  const total = support.reduce((sum, value) => sum + value, 0);
  return {
    macro: divide(
      perClass.reduce((sum, value) => sum + value, 0),
      perClass.length,
    ),
    micro,
    weighted: divide(
      perClass.reduce((sum, value, index) => sum + value * support[index]!, 0),
      total,
    ),
    per_class: Object.fromEntries(labels.map((label, index) => [label, perClass[index]!])),
  };
}

/**
 * Metrics from a confusion matrix, matching scikit-learn: precision, recall and F1 per class over
 * the union of gold and predicted labels, zero division gives 0, micro averages over all items.
 * Cohen's kappa with chance agreement from both marginals; Gwet's AC1 with chance agreement
 * sum_k pi_k (1 - pi_k) / (K - 1), pi_k the mean of the two marginal proportions (irrCAC's
 * formula). With one label occurring (K = 1) both are undefined, null with `kappa_ac1_reason`: kappa's
 * chance agreement is 1 (0/0, scikit-learn's `nan`), AC1's divides by K - 1 = 0. With two labels
 * or more neither chance agreement reaches 1. One implementation: score metrics and
 * `@plexus/feedback`'s agreement both use it.
 */
export function matrixMetrics(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
): MatrixMetrics {
  const size = labels.length;
  const rowSums = matrix.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columnSums = labels.map((_, column) => matrix.reduce((sum, row) => sum + row[column]!, 0));
  const total = rowSums.reduce((sum, value) => sum + value, 0);
  const diagonal = labels.map((_, index) => matrix[index]![index]!);
  const correct = diagonal.reduce((sum, value) => sum + value, 0);
  const precision = diagonal.map((value, index) => divide(value, columnSums[index]!));
  const recall = diagonal.map((value, index) => divide(value, rowSums[index]!));
  const f1 = precision.map((value, index) =>
    divide(2 * value * recall[index]!, value + recall[index]!),
  );
  const accuracy = divide(correct, total);
  // With every item counted once as gold and once as predicted, micro P = micro R = micro F1 = accuracy.
  const observed = accuracy;
  const kappaChance = divide(
    rowSums.reduce((sum, value, index) => sum + value * columnSums[index]!, 0),
    total * total,
  );
  const pi = labels.map((_, index) => divide(rowSums[index]! + columnSums[index]!, 2 * total));
  // Labels that occur, as gold or predicted: with fewer than two, chance agreement is certain.
  const oneLabel = labels.filter((_, index) => rowSums[index]! + columnSums[index]! > 0).length < 2;
  const ac1Chance = oneLabel
    ? 1
    : pi.reduce((sum, value) => sum + value * (1 - value), 0) / (size - 1);
  return {
    accuracy,
    precision: average(precision, rowSums, accuracy, labels),
    recall: average(recall, rowSums, accuracy, labels),
    f1: average(f1, rowSums, accuracy, labels),
    support: Object.fromEntries(labels.map((label, index) => [label, rowSums[index]!])),
    cohen_kappa: oneLabel ? null : (observed - kappaChance) / (1 - kappaChance),
    gwet_ac1: oneLabel ? null : (observed - ac1Chance) / (1 - ac1Chance),
    kappa_ac1_reason: oneLabel ? oneLabelAgreement : null,
  };
}

/**
 * Metrics over the labels that occur (as gold or predicted) in the matrix, as scikit-learn computes
 * them for a sample: a bootstrap resample that misses a rare class must not score it as F1 = 0.
 */
export function presentMatrixMetrics(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
): MatrixMetrics {
  const kept = labels
    .map((_, index) => index)
    .filter(
      (index) => matrix[index]!.some((value) => value > 0) || matrix.some((row) => row[index]! > 0),
    );
  return matrixMetrics(
    kept.map((index) => labels[index]!),
    kept.map((row) => kept.map((column) => matrix[row]![column]!)),
  );
}
