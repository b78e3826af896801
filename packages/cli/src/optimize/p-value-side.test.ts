import { describe, expect, it } from 'vitest';
import { pValue } from '../view/compare-page.js';
import { changelogMarkdown } from './changelog.js';
import type { RoundEntry } from './round.js';

// scipy.stats.binomtest(117, 267, 0.5).pvalue: 117 vs 150 discordant holdout items, below 0.05.
const justBelow = 0.04998317639678592;
// scipy.stats.binomtest(25, 67, 0.5).pvalue.
const twentyFiveOfSixtySeven = 0.04980011429472864;

function acceptedRound(p: number): RoundEntry {
  return {
    round: 1,
    outcome: 'accepted',
    edit: null,
    reason: null,
    version: 'card.v2.yaml',
    metrics: {
      train: { current: 0.5, candidate: 0.6 },
      validation: { current: 0.5, candidate: 0.6 },
      holdout: { current: 0.5, candidate: 0.6, items: 600 },
    },
    p_value: p,
    cost_per_item: { current: null, candidate: null },
    generalisation_gap: 0,
    dropped: [],
    candidates: [],
    why: 'accepted',
  };
}

describe('a p-value below alpha is never printed as alpha', () => {
  it('changelog.md prints 0.04998 for an accepted round, not 0.0500 (three digits)', () => {
    const text = changelogMarkdown({
      scorecard: 'card.yaml',
      score: 'Spam',
      alpha: 0.05,
      max_cost_increase: 0.2,
      spent_usd: 0,
      rounds: [acceptedRound(justBelow)],
      stopped: null,
    });
    expect(text).toContain('| 0.04998 |');
    expect(text).not.toContain('0.0500');
  });

  it("the viewer's compare page prints 0.0498 at alpha 0.05, not 0.050", () => {
    expect(pValue(twentyFiveOfSixtySeven, 0.05)).toBe('0.0498');
    expect(pValue(0.043285250663757324, 0.05)).toBe('0.043');
    expect(pValue(1.8e-12, 0.05)).toBe('1.8e-12');
    expect(pValue(null, 0.05)).toBe('—');
    // Below 0.001 but near an alpha as small: more digits than the exponent form's one.
    expect(pValue(0.000998, 0.001)).toBe('0.000998');
  });
});
