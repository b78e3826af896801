import { describe, expect, it } from 'vitest';
import { changelogMarkdown } from './changelog.js';

const log = {
  scorecard: 'card.yaml',
  score: 'Spam',
  alpha: 0.05,
  max_cost_increase: 0.1,
  rounds: [],
  stopped: null,
};

describe('changelog.md: what was spent', () => {
  it('says why the spending is unknown without claiming a priced model has none', () => {
    const text = changelogMarkdown({ ...log, spent_usd: null });
    // Unknown for a model without a price, or for a hedged call (hedge_after_ms) of a priced one.
    expect(text).toContain('Spent: unknown (a model has no price, or a hedged call');
    expect(text).toContain('hedged call aborted a duplicate request');
    expect(changelogMarkdown({ ...log, spent_usd: 0.01234 })).toContain('Spent: $0.0123.');
  });
});
