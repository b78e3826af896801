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
    // The numbers leave no room for a name column: each name whole, on a line of its own.
    expect(lines[0]).toBe('score');
    expect(lines[3]).toBe('Did the agent verify the caller identity before sharing balances');
    expect(lines[4]).toMatch(/^1234567 +0\.912 +0\.800 +-0\.123 +123456 +1000000 +— +1234\.5678$/);
    expect(lines[5]).toBe('Short');
  });

  it('wraps long names in their column when there is room, and counts unlabeled items', () => {
    const small = {
      ...metrics,
      n: 12,
      n_errors: 0,
      n_skipped: 1,
      n_unlabeled: 0,
      cost_usd: 0,
    } as unknown as ScoreMetrics;
    const unlabeled = {
      ...small,
      n: 0,
      accuracy: null,
      f1: null,
      gwet_ac1: null,
      n_unlabeled: 11,
      unlabeled_predicted: Object.fromEntries(
        Array.from({ length: 10 }, (_, index) => [`label${index}`, index === 0 ? 2 : 1]),
      ),
    } as unknown as ScoreMetrics;
    const text = formatSummaryTable({
      scores: { 'Did the agent greet the caller by name': small, Sentiment: unlabeled },
    } as unknown as RunSummary);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(
      /^score +n +accuracy +F1 macro +AC1 +errors +skipped +unlabeled +cost \$$/,
    );
    // 12 columns are left for names: wrapped on word boundaries, whole.
    expect(lines[2]).toMatch(/^Did the {7}12 +0\.912 +0\.800 +-0\.123 +0 +1 +0 +0\.0000$/);
    expect(lines.slice(3, 6)).toEqual(['agent greet', 'the caller', 'by name']);
    expect(lines[6]).toMatch(/^Sentiment +0 +— +— +— +0 +1 +11 +0\.0000$/);
    expect(text).toContain(
      'Predicted labels of scores without gold:\n  Sentiment (no gold labels, 11 items): label0 2, label1 1,',
    );
    expect(text).toContain('label7 1, 2 more labels');
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
    // Seven-digit counts leave 6 columns: "Priced" fits, so the names stay in their column.
    expect(lines[2]).toMatch(/^Azure +1234567 .* unknown$/);
    expect(lines[3]).toMatch(/^Priced +1234567 .* 0\.2500$/);
    expect(text).toContain('cost unknown: no price for openai prod-gpt5-deployment.');
    expect(text).toContain('pricing: {input_per_million: N, output_per_million: N}');
    // Every cost known: no note.
    expect(
      formatSummaryTable({ scores: { Priced: priced } } as unknown as RunSummary),
    ).not.toContain('unknown');
  });
});
