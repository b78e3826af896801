import { seededRandom } from '../dataset/sampling.js';

/** Sets larger than this use the Poisson bootstrap. */
const poissonAbove = 20_000;

/** A Poisson draw: by multiplying uniforms for small means, by a normal approximation for large ones. */
function poissonDraw(mean: number, random: () => number): number {
  if (mean === 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let product = random();
    let count = 0;
    while (product > limit) {
      count += 1;
      product *= random();
    }
    return count;
  }
  // Box-Muller from two seeded uniforms.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
}

/** Resamples per interval; with the Poisson bootstrap above 20,000 items the cost no longer grows with them. */
const rounds = 1000;

/**
 * Percentile bootstrap 95% intervals of statistics of weighted categories (cells of a confusion
 * matrix, or kinds of paired outcomes): resampling items with replacement is resampling cells in
 * proportion to their counts, so only the counts are needed. Seeded: the same cells in the same
 * order give the same interval (callers pass them sorted: the order results arrived in does not
 * matter). Where the resamples cannot vary (one item, every answer right) an interval is one
 * value, [1, 1]: `bootstrapIntervalsOrReasons` gives none there, with the reason.
 */
export function bootstrapIntervals<Cell>(
  cells: readonly { cell: Cell; count: number }[],
  statistics: (counts: readonly number[]) => readonly number[],
  seed: number,
): [number, number][] | null {
  return resampledSeries(cells, statistics, seed)?.map(percentiles) ?? null;
}

/** A bootstrap 95% interval, or null with the reason it would claim a certainty the data lacks. */
export type IntervalOrReason =
  | { ci95: [number, number]; reason: null }
  | { ci95: null; reason: string };

/**
 * `bootstrapIntervals`, each interval absent (with the reason) where the resamples cannot give
 * one: one item (every resample is that item) or no variation (every resample gives the same
 * value, as macro F1 does when every answer is right): a percentile interval there is one value,
 * [1, 1], a claim of certainty. Also absent when 95% of the resamples give one value (its two
 * ends are equal). Null with no item.
 */
export function bootstrapIntervalsOrReasons<Cell>(
  cells: readonly { cell: Cell; count: number }[],
  statistics: (counts: readonly number[]) => readonly number[],
  seed: number,
): IntervalOrReason[] | null {
  const total = cells.reduce((sum, entry) => sum + entry.count, 0);
  return (
    resampledSeries(cells, statistics, seed)?.map((series): IntervalOrReason => {
      const [low, high] = percentiles(series);
      if (low < high) return { ci95: [low, high], reason: null };
      if (total === 1)
        return {
          ci95: null,
          reason:
            'too few items (1): every resample is that one item, so the interval would be one value',
        };
      const first = series[0]!;
      if (series[series.length - 1] === first)
        return {
          ci95: null,
          reason: `no variation in the resamples: all ${series.length} give ${first.toFixed(3)}, so a 95% interval cannot be taken from them`,
        };
      return {
        ci95: null,
        reason: `too little variation in the resamples: 95% of the ${series.length} give ${low.toFixed(3)}`,
      };
    }) ?? null
  );
}

/** The 2.5% and 97.5% percentiles of a sorted series. */
function percentiles(series: readonly number[]): [number, number] {
  const at = (quantile: number) =>
    series[Math.min(series.length - 1, Math.floor(quantile * series.length))]!;
  return [at(0.025), at(0.975)];
}

/** Each statistic's values over the resamples, sorted; null with no item. */
function resampledSeries<Cell>(
  cells: readonly { cell: Cell; count: number }[],
  statistics: (counts: readonly number[]) => readonly number[],
  seed: number,
): number[][] | null {
  const total = cells.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return null;
  const cumulative: number[] = [];
  let running = 0;
  for (const entry of cells) {
    running += entry.count;
    cumulative.push(running);
  }
  const random = seededRandom(seed);
  const values: number[][] = [];
  const counts = new Array<number>(cells.length);
  // Above this many items, each cell's resampled count is drawn as Poisson(count): the Poisson
  // bootstrap, equivalent for large samples and O(cells) per round instead of O(items).
  const poisson = total > poissonAbove;
  for (let round = 0; round < rounds; round += 1) {
    counts.fill(0);
    if (poisson) {
      cells.forEach((entry, position) => {
        counts[position] = poissonDraw(entry.count, random);
      });
      statistics(counts).forEach((value, position) => {
        values[position] ??= [];
        values[position].push(value);
      });
      continue;
    }
    for (let draw = 0; draw < total; draw += 1) {
      const target = random() * total;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle]! > target) high = middle;
        else low = middle + 1;
      }
      counts[low] = counts[low]! + 1;
    }
    statistics(counts).forEach((value, position) => {
      values[position] ??= [];
      values[position].push(value);
    });
  }
  for (const series of values) series.sort((left, right) => left - right);
  return values;
}
