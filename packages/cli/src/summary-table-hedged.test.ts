import { hedgedUnpricedModel, type RunSummary, type ScoreMetrics } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { formatSummaryTable } from './summary-table.js';

const metrics = {
  n: 40,
  accuracy: 0.9,
  f1: { macro: 0.8, micro: 0.9, weighted: 0.9, per_class: {} },
  gwet_ac1: 0.7,
  n_errors: 0,
  n_skipped: 0,
  llm_calls: 41,
  cost_usd: null,
} as unknown as ScoreMetrics;

describe('formatSummaryTable: the unknown cost of a hedged call', () => {
  it('says its tokens are unknown, never that a priced model has no price, within 80 columns', () => {
    const hedged = { ...metrics, unpriced_models: [hedgedUnpricedModel('openai gpt-4o-mini')] };
    const text = formatSummaryTable({ scores: { Spam: hedged } } as unknown as RunSummary);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(text).not.toContain('no price');
    expect(text).not.toContain('pricing:');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'cost unknown: tokens unknown for openai gpt-4o-mini: a hedged call aborted a duplicate request.',
    );
  });

  it('asks for pricing when another score has a model without a price', () => {
    const hedged = { ...metrics, unpriced_models: [hedgedUnpricedModel('openai gpt-4o-mini')] };
    const unpriced = { ...metrics, unpriced_models: ['openai my-deployment'] };
    const text = formatSummaryTable({
      scores: { Spam: hedged, Other: unpriced },
    } as unknown as RunSummary);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(text.replace(/\s+/g, ' ')).toContain('cost unknown: no price for openai my-deployment;');
    expect(text).toContain('pricing: {input_per_million: N, output_per_million: N}');
  });
});
