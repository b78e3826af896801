import { seededRandom } from '../sampling.js';

/** How many resamples: 1,000, fewer for very large sets (at least 200) to bound the work. */
export function resampleCount(items: number): number {
  return Math.max(200, Math.min(1000, Math.floor(20_000_000 / Math.max(items, 1))));
}

/**
 * Percentile bootstrap 95% intervals of statistics of weighted categories (cells of a confusion
 * matrix, or kinds of paired outcomes): resampling items with replacement is resampling cells in
 * proportion to their counts, so only the counts are needed. Seeded: same counts, same interval.
 */
export function bootstrapIntervals<Cell>(
  cells: readonly { cell: Cell; count: number }[],
  statistics: (counts: readonly number[]) => readonly number[],
  seed: number,
): [number, number][] | null {
  const total = cells.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return null;
  const cumulative: number[] = [];
  let running = 0;
  for (const entry of cells) {
    running += entry.count;
    cumulative.push(running);
  }
  const random = seededRandom(seed);
  const rounds = resampleCount(total);
  const values: number[][] = [];
  const counts = new Array<number>(cells.length);
  for (let round = 0; round < rounds; round += 1) {
    counts.fill(0);
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
  return values.map((series) => {
    series.sort((left, right) => left - right);
    const at = (quantile: number) =>
      series[Math.min(series.length - 1, Math.floor(quantile * series.length))]!;
    return [at(0.025), at(0.975)];
  });
}
