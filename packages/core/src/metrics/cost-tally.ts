import type { ResultLine } from '../run/result-line.js';

/**
 * Dollars over result lines. One line at an unknown price makes the total unknown (`null`): a
 * sum of the priced lines alone would pass for the whole cost. Summed with Neumaier's
 * compensation: line by line, $1,000,000 then 99,999 calls at $0.000000001 drifted to
 * 1000000.0001047727 (math.fsum: 1000000.000099999) and ten calls at $0.10 to 0.9999999999999999.
 */
export class CostTally {
  private priced = 0;
  /** The low-order parts `priced` lost, added back at the end. */
  private lost = 0;
  private readonly unpriced = new Set<string>();

  add(line: Pick<ResultLine, 'cost_usd' | 'unpriced_model' | 'score'>): void {
    if (line.cost_usd === null) this.unpriced.add(line.unpriced_model ?? `score ${line.score}`);
    else {
      const cost = line.cost_usd;
      const sum = this.priced + cost;
      this.lost +=
        Math.abs(this.priced) >= Math.abs(cost)
          ? this.priced - sum + cost
          : cost - sum + this.priced;
      this.priced = sum;
    }
  }

  /** US dollars; null when any line's price is unknown. */
  get usd(): number | null {
    return this.unpriced.size > 0 ? null : this.priced + this.lost;
  }

  /** The models without a price, sorted; empty when every call was priced. */
  get unpricedModels(): string[] {
    return [...this.unpriced].sort();
  }
}
