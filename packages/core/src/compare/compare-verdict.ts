import type { ScoreComparison, TrainingSplit } from './compare-types.js';
/** What the verdict of one compared score is made of; `interval` is of B - A, as `delta`. */
export interface VerdictInput {
  scoreA: string;
  scoreB: string;
  delta: number;
  /** Null where the resamples cannot vary; `intervalReason` says why. */
  interval: [number, number] | null;
  intervalReason?: string | null;
  p: number;
  alpha: number;
  significant: boolean;
}

/**
 * A difference in `digits` decimals; one that is not 0 but rounds to 0 keeps its first significant
 * digit (0.0004, not 0.000: an interval's bound above 0 read as touching 0).
 */
export function differenceText(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return value !== 0 && Number(text) === 0 ? value.toPrecision(1) : text;
}

/** Points with one decimal and a sign (+0.04 for a bound above 0 that rounds to +0.0). */
function percent(value: number): string {
  return `${value >= 0 ? '+' : ''}${differenceText(value * 100, 1)}`;
}

/**
 * A p-value in `digits` significant digits (two by default), or as many more as it takes to stay
 * on its side of `alpha`: McNemar's p of 25 vs 42 discordant items, 0.0498, is `0.0498`, where two
 * digits printed "p = 0.050 < 0.05" beside a significant verdict.
 */
export function pValueText(p: number, alpha: number, digits = 2): string {
  for (let shown = digits; shown < 17; shown += 1) {
    const text = p.toPrecision(shown);
    if (Number(text) < alpha === p < alpha) return text;
  }
  return p.toPrecision(17);
}

/**
 * Whether the bootstrap interval of B - A says what McNemar's test says: it excludes 0 exactly
 * when the test is significant. The two ask the same question by different means (an exact test
 * on the discordant items, a percentile interval of the paired difference), so near the edge they
 * can disagree.
 */
export function testsAgree(interval: readonly [number, number], significant: boolean): boolean {
  const [low, high] = interval;
  const excludesZero = low > 0 || high < 0;
  return excludesZero === significant;
}

/** When the tests disagree, the clause that says so (empty when they agree or there is no interval). */
function disagreement(input: VerdictInput): string {
  if (!input.interval || testsAgree(input.interval, input.significant)) return '';
  const interval = input.significant ? 'includes 0' : 'excludes 0';
  return `; the verdict follows McNemar's test, but the bootstrap 95% interval ${interval}: the tests disagree, treat as borderline`;
}

/** The interval in the verdict, of B - A (`asBMinusA`) or A - B; or why there is none. */
function intervalText(input: VerdictInput, asBMinusA: boolean): string {
  if (!input.interval) return `no 95% CI: ${input.intervalReason ?? 'not computed'}`;
  const [low, high] = input.interval;
  const [from, to] = asBMinusA ? [low, high] : [-high, -low];
  return `95% CI ${percent(from)} to ${percent(to)}`;
}

/**
 * The plain verdict. It follows McNemar's exact test at `alpha` (named in the text); when the
 * bootstrap interval of the same difference says otherwise, the verdict says so.
 */
export function verdictOf(input: VerdictInput): string {
  const { delta, p, alpha } = input;
  const against = `${input.significant ? '<' : '>='} ${alpha}`;
  const test = `McNemar p = ${pValueText(p, alpha)} ${against}`;
  const warning = disagreement(input);
  // The verdict names the better run, so its interval is of the same difference (better minus
  // worse): B - A when B wins, A - B (the B - A interval negated and reversed) when A wins.
  const bWins = input.significant && delta > 0;
  const interval = intervalText(input, !input.significant || bWins);
  if (!input.significant)
    return `not significant: accuracy differs by ${percent(delta)} points, B - A (${interval}; ${test})${warning}`;
  const better = bWins ? `${input.scoreB} (run B)` : `${input.scoreA} (run A)`;
  return `significant: ${better} is more accurate by ${percent(Math.abs(delta)).slice(1)} points (${interval}; ${test})${warning}`;
}

/**
 * The verdict told with the items a model was trained on first (its answers there are
 * remembered, not predicted), then the verdict over the items outside both; as it was without.
 */
export function withTraining(
  verdict: string,
  n: number,
  training: TrainingSplit | undefined,
  outside: ScoreComparison | null,
): string {
  if (!training || outside === null) return verdict;
  const runs = [
    ...(training.a > 0 ? [`${training.a} in run A's model's training data`] : []),
    ...(training.b > 0 ? [`${training.b} in run B's`] : []),
  ].join(', ');
  // With --errors exclude, items outside both may all have failed in a run: there are some.
  const unseen =
    outside.no_metrics_reason === null
      ? `over the ${outside.n} outside both, ${outside.verdict}`
      : outside.errors_a + outside.errors_b > 0
        ? `nothing is compared outside both: ${outside.no_metrics_reason}`
        : 'no item is outside both, so nothing measures them on items they did not learn';
  return `of the ${n} items, ${runs} (answers remembered, not predicted): ${unseen}; over all ${n}, ${verdict}`;
}
