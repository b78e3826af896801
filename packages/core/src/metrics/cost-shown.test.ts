import { describe, expect, it } from 'vitest';
import { summaryRow } from '../report/summary-section.js';
import { costText, olderCostReason } from './cost-shown.js';
import type { ScoreMetrics } from './score-metrics.js';

const known = { usd: 0.0123, unpricedModels: [], llmCalls: 10 };

describe('costText: a cost is dollars, a floor, or unknown with why', () => {
  it('shows dollars a run recorded, $0 included when it made no unpriced call', () => {
    expect(costText(known)).toBe('$0.0123');
    expect(costText({ usd: 0, unpricedModels: [], llmCalls: 12 })).toBe('$0.0000');
    expect(costText({ usd: 0, unpricedModels: undefined, llmCalls: 0 })).toBe('$0.0000');
  });

  it('says unknown, naming the models, when a model has no price', () => {
    expect(costText({ usd: null, unpricedModels: ['openai my-deployment'], llmCalls: 3 })).toBe(
      'unknown (no price for openai my-deployment)',
    );
    expect(costText({ usd: undefined, unpricedModels: [], llmCalls: 3 })).toBe(
      'unknown (no cost recorded)',
    );
  });

  it('never shows the $0 of a run folder written before unknown prices were recorded', () => {
    // That format had no unpriced_models: its $0 for LLM calls may be unpriced calls counted as 0.
    expect(costText({ usd: 0, unpricedModels: undefined, llmCalls: 10 })).toBe(
      `unknown (${olderCostReason})`,
    );
    expect(costText({ usd: 0.5, unpricedModels: undefined, llmCalls: 10 })).toBe(
      `at least $0.5000 (${olderCostReason})`,
    );
    expect(costText(known, true)).toBe(`at least $0.0123 (${olderCostReason})`);
  });

  it("the report's summary cell of an older run says unknown, not $0.0000", () => {
    const older = {
      n_results: 10,
      n: 10,
      accuracy: 1,
      accuracy_ci95: [1, 1],
      f1: { macro: 1 },
      gwet_ac1: 1,
      n_errors: 0,
      n_skipped: 0,
      n_unlabeled: 0,
      coverage: 1,
      cost_usd: 0,
      llm_calls: 10,
    } as unknown as ScoreMetrics;
    const row = summaryRow('Intent', older, 0);
    expect(row).not.toContain('$0.0000');
    expect(row).toContain('unknown<div class="reason">run written before Plexus recorded');
  });
});
