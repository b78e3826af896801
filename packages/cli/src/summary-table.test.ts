import type { RunSummary, ScoreMetrics } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { formatSummaryTable } from './summary-table.js';

const metrics = {
  n: 1_234_567,
  accuracy: 0.91234,
  f1: { macro: 0.8, micro: 0.9, weighted: 0.9, per_class: {} },
  gwet_ac1: -0.123,
  n_errors: 123_456,
  n_skipped: 1_000_000,
  cost_usd: 1234.5678,
} as unknown as ScoreMetrics;

describe('formatSummaryTable', () => {
  it('fits 80 columns with long names and large numbers', () => {
    const summary = {
      scores: {
        'Did the agent verify the caller identity before sharing balances': metrics,
        Short: metrics,
      },
    } as unknown as RunSummary;
    const lines = formatSummaryTable(summary).split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[2]).toMatch(
      /^Did the agent … +1234567 +0\.912 +0\.800 +-0\.123 +123456 +1000000 +1234\.5678$/,
    );
  });
});

describe('formatSummaryTable with an unknown cost', () => {
  it('shows "unknown", never 0, and says which model has no price and how to add one', () => {
    const unpriced = {
      ...metrics,
      cost_usd: null,
      unpriced_models: ['openai prod-gpt5-deployment'],
    } as unknown as ScoreMetrics;
    const priced = { ...metrics, cost_usd: 0.25, unpriced_models: [] } as unknown as ScoreMetrics;
    const text = formatSummaryTable({
      scores: { Azure: unpriced, Priced: priced },
    } as unknown as RunSummary);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[2]).toMatch(/^Azure .* unknown$/);
    expect(lines[3]).toMatch(/^Priced .* 0\.2500$/);
    expect(text).toContain('cost unknown: no price for openai prod-gpt5-deployment.');
    expect(text).toContain('pricing: {input_per_million: N, output_per_million: N}');
    // Every cost known: no note.
    expect(
      formatSummaryTable({ scores: { Priced: priced } } as unknown as RunSummary),
    ).not.toContain('unknown');
  });
});
