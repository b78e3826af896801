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
 * matter).
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
  return values.map((series) => {
    series.sort((left, right) => left - right);
    const at = (quantile: number) =>
      series[Math.min(series.length - 1, Math.floor(quantile * series.length))]!;
    return [at(0.025), at(0.975)];
  });
}
