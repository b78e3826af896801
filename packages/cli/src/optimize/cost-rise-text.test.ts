import { describe, expect, it } from 'vitest';
import { changelogMarkdown } from './changelog.js';
import { costRiseText } from './figures.js';

// `--max-cost-increase 0.29` was printed as "up by at most 28.999999999999996%" in changelog.md
// and a refused round's reason as "cost per item rises from 0.00013400000000000001 to ... USD,
// over the allowed 28.999999999999996%".
describe("optimize's cost limit as printed", () => {
  it('says the allowed rise as the percentage given', () => {
    const text = changelogMarkdown({
      scorecard: 'card.yaml',
      score: 'Spam',
      alpha: 0.05,
      max_cost_increase: 0.29,
      spent_usd: 0,
      rounds: [],
      stopped: null,
    });
    expect(text).toContain('cost per item up by at most 29%.');
    expect(text).not.toContain('28.99');
  });

  it("says a refused round's costs per item in the changelog's digits", () => {
    expect(costRiseText(0.1 + 0.2, 0.5, 0.07)).toBe(
      'cost per item rises from 0.300000 to 0.500000 USD, over the allowed 7%',
    );
    expect(costRiseText(0.000134 + 1e-20, 2e-7, 0.57)).toBe(
      'cost per item rises from 0.000134 to 2.00e-7 USD, over the allowed 57%',
    );
  });
});
