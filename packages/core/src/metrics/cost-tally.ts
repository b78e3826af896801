import type { ResultLine } from '../run/result-line.js';

/**
 * Dollars over result lines. One line at an unknown price makes the total unknown (`null`): a
 * sum of the priced lines alone would pass for the whole cost.
 */
export class CostTally {
  private priced = 0;
  private readonly unpriced = new Set<string>();

  add(line: Pick<ResultLine, 'cost_usd' | 'unpriced_model' | 'score'>): void {
    if (line.cost_usd === null) this.unpriced.add(line.unpriced_model ?? `score ${line.score}`);
    else this.priced += line.cost_usd;
  }

  /** US dollars; null when any line's price is unknown. */
  get usd(): number | null {
    return this.unpriced.size > 0 ? null : this.priced;
  }

  /** The models without a price, sorted; empty when every call was priced. */
  get unpricedModels(): string[] {
    return [...this.unpriced].sort();
  }
}
