import { ConfusionCounts, matrixMetrics } from '@plexus/core';

/**
 * Agreement statistics over units (items) each rated by several raters, nominal labels.
 * A unit is the list of labels it received (one per rater; missing ratings simply absent).
 */

function pairableUnits(units: readonly (readonly string[])[]): (readonly string[])[] {
  return units.filter((labels) => labels.length >= 2);
}

/**
 * Krippendorff's alpha, nominal: 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k, with the
 * coincidence matrix o built from every pairable unit (two or more labels), each unit's pairs
 * weighted 1 / (m_u - 1). Null when fewer than two pairable values or a single label occurs
 * (expected disagreement 0: alpha undefined).
 */
export function krippendorffAlphaNominal(units: readonly (readonly string[])[]): number | null {
  const totals = new Map<string, number>();
  let observedDisagreement = 0;
  for (const labels of pairableUnits(units)) {
    const counts = new Map<string, number>();
    for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    const size = labels.length;
    // Ordered pairs of different labels within the unit: m^2 - sum n_c^2.
    let sameSquares = 0;
    for (const [label, count] of counts) {
      sameSquares += count * count;
      totals.set(label, (totals.get(label) ?? 0) + count);
    }
    observedDisagreement += (size * size - sameSquares) / (size - 1);
  }
  const total = [...totals.values()].reduce((sum, value) => sum + value, 0);
  const squares = [...totals.values()].reduce((sum, value) => sum + value * value, 0);
  const expectedDisagreement = total * total - squares;
  if (total < 2 || expectedDisagreement === 0) return null;
  return 1 - ((total - 1) * observedDisagreement) / expectedDisagreement;
}

/**
 * Fleiss' kappa over the units with at least two labels: P_i = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1)),
 * P = mean P_i, p_j = share of all labels that are j, P_e = sum p_j^2, kappa = (P - P_e) / (1 - P_e).
 * With the same number of raters on every unit this is statsmodels' `fleiss_kappa`; with different
 * numbers it is the usual generalisation (each unit's agreement from its own raters). Null when no
 * unit has two labels or P_e = 1 (a single label everywhere).
 */
export function fleissKappa(units: readonly (readonly string[])[]): number | null {
  const kept = pairableUnits(units);
  if (kept.length === 0) return null;
  const totals = new Map<string, number>();
  let agreementSum = 0;
  let labelCount = 0;
  for (const labels of kept) {
    const counts = new Map<string, number>();
    for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    let squares = 0;
    for (const [label, count] of counts) {
      squares += count * count;
      totals.set(label, (totals.get(label) ?? 0) + count);
    }
    const size = labels.length;
    agreementSum += (squares - size) / (size * (size - 1));
    labelCount += size;
  }
  const observed = agreementSum / kept.length;
  const chance = [...totals.values()].reduce(
    (sum, count) => sum + (count / labelCount) * (count / labelCount),
    0,
  );
  if (chance === 1) return null;
  return (observed - chance) / (1 - chance);
}

/** Two raters' agreement on the same items: accuracy, Cohen's kappa, Gwet's AC1. */
export interface PairAgreement {
  n: number;
  accuracy: number;
  /** Null when both raters gave one and the same label only: chance agreement 1, kappa 0/0. */
  cohen_kappa: number | null;
  /** Null then too: its chance agreement divides by the number of labels minus one, 0. */
  gwet_ac1: number | null;
  /** Why `cohen_kappa` and `gwet_ac1` are null; null when they are numbers. */
  kappa_ac1_reason: string | null;
}

/**
 * Agreement of two label lists of equal length (first the reference, then the other rater):
 * accuracy and Cohen's kappa as scikit-learn computes them, Gwet's AC1 with chance
 * sum_k pi_k (1 - pi_k) / (K - 1), by core's `matrixMetrics` (the run's metrics compute them the
 * same way). Kappa and AC1 are null, with `kappa_ac1_reason`, when one label only occurs. Null
 * for no items.
 */
export function pairAgreement(
  reference: readonly string[],
  other: readonly string[],
): PairAgreement | null {
  const n = reference.length;
  if (n === 0) return null;
  const counts = new ConfusionCounts();
  for (let index = 0; index < n; index += 1) counts.add(reference[index]!, other[index]!);
  const labels = counts.labels();
  const metrics = matrixMetrics(labels, counts.matrix(labels));
  return {
    n,
    accuracy: metrics.accuracy,
    cohen_kappa: metrics.cohen_kappa,
    gwet_ac1: metrics.gwet_ac1,
    kappa_ac1_reason: metrics.kappa_ac1_reason,
  };
}
