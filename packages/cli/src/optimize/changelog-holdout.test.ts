import { describe, expect, it } from 'vitest';
import { type Changelog, changelogMarkdown } from './changelog.js';
import type { RoundEntry } from './round.js';

/** A round that reached the holdout (a p-value) or stopped before it (null). */
function round(index: number, p: number | null, outcome: RoundEntry['outcome']): RoundEntry {
  return {
    round: index,
    outcome,
    edit: null,
    reason: null,
    version: outcome === 'accepted' ? `card.v${index + 1}.yaml` : null,
    metrics: {
      train: { current: 0.5, candidate: null },
      validation: { current: 0.5, candidate: null },
      holdout: { current: null, candidate: null, items: null },
    },
    p_value: p,
    cost_per_item: { current: null, candidate: null },
    generalisation_gap: null,
    dropped: [],
    candidates: [],
    why: outcome,
  };
}

const log = (rounds: RoundEntry[]): Changelog => ({
  scorecard: 'card.yaml',
  score: 'Spam',
  alpha: 0.05,
  max_cost_increase: 0.2,
  spent_usd: 0,
  rounds,
  stopped: null,
});

describe('changelog.md: the same holdout tested round after round', () => {
  it('says how many rounds it decided and the bound on a fluke over the run', () => {
    // Three rounds on the holdout (two accepted, one not), a fourth stopped before it: 3 × 0.05.
    const text = changelogMarkdown(
      log([
        round(1, 0.01, 'accepted'),
        round(2, 0.03, 'accepted'),
        round(3, 0.4, 'no significant improvement'),
        round(4, null, 'no valid candidate'),
      ]),
    );
    expect(text).toContain('The same holdout decided 3 rounds, each at p < 0.05');
    expect(text).toContain('up to 3 × 0.05 = 0.15 over the run (Bonferroni), not 0.05');
  });

  it('says nothing of it when the holdout decided one round', () => {
    const text = changelogMarkdown(
      log([round(1, 0.01, 'accepted'), round(2, null, 'no valid candidate')]),
    );
    expect(text).not.toContain('The same holdout decided');
  });
});

describe('changelog.md: cost per item', () => {
  it('never shows a cost too small for six decimals as 0.000000', () => {
    const entry = round(1, 0.01, 'accepted');
    entry.cost_per_item = { current: 2.4e-7, candidate: 0.000137 };
    const row = changelogMarkdown(log([entry]))
      .split('\n')
      .find((line) => line.startsWith('| 1 |'))!;
    expect(row).toContain('| 2.40e-7 → 0.000137 |');
    const free = round(1, 0.01, 'accepted');
    free.cost_per_item = { current: 0, candidate: null };
    expect(changelogMarkdown(log([free]))).toContain('| 0 → – |');
  });
});
