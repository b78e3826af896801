// Dollars summed line by line drifted: $1,000,000 then 99,999 calls at $0.000000001 gave
// 1000000.0001047727 (Python's exact math.fsum: 1000000.000099999), ten calls at $0.10 gave
// 0.9999999999999999 in metrics.json. The tally sums with compensation.
import { describe, expect, it } from 'vitest';
import { CostTally } from './cost-tally.js';

function total(costs: readonly number[]): number | null {
  const tally = new CostTally();
  for (const cost of costs) tally.add({ cost_usd: cost, score: 'Spam' });
  return tally.usd;
}

describe('a run\u2019s dollars', () => {
  it('are the exact sum of its lines to the last digit (math.fsum)', () => {
    // math.fsum([1e6] + [1e-9] * 99999)
    expect(total([1e6, ...new Array<number>(99_999).fill(1e-9)])).toBe(1000000.000099999);
    // math.fsum([0.1] * 10)
    expect(total(new Array<number>(10).fill(0.1))).toBe(1);
    // math.fsum([1e-9] * 100000)
    expect(total(new Array<number>(100_000).fill(1e-9))).toBe(0.0001);
    expect(total([])).toBe(0);
  });

  it('stay unknown with one line at an unknown price', () => {
    const tally = new CostTally();
    tally.add({ cost_usd: 0.5, score: 'Spam' });
    tally.add({ cost_usd: null, score: 'Spam', unpriced_model: 'openai dep' });
    expect(tally.usd).toBeNull();
    expect(tally.unpricedModels).toEqual(['openai dep']);
  });
});
