/** The standard normal quantile of 0.975 (SciPy's `norm.isf(0.025)`): a 95% two-sided interval. */
const z95 = 1.959963984540054;

/**
 * The Wilson score 95% interval of a proportion, `correct` of `n` (statsmodels'
 * `proportion_confint(method="wilson")`, SciPy's `binomtest(...).proportion_ci(method="wilson")`);
 * null when `n` is 0. Unlike a percentile bootstrap it does not collapse at the edges: one right
 * answer of one is [0.207, 1], not [1, 1]; none right of five is [0, 0.434], not [0, 0].
 */
export function wilsonInterval(correct: number, n: number): [number, number] | null {
  if (n <= 0) return null;
  const share = correct / n;
  const squared = z95 * z95;
  const denominator = 1 + squared / n;
  const center = (share + squared / (2 * n)) / denominator;
  const half = (z95 * Math.sqrt((share * (1 - share)) / n + squared / (4 * n * n))) / denominator;
  // At the edges the bound is the edge exactly (0 or 1), not a rounding of it.
  const low = correct === 0 ? 0 : Math.max(0, center - half);
  const high = correct === n ? 1 : Math.min(1, center + half);
  return [low, high];
}
