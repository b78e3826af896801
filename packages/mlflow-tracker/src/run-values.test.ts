import type { RunInfo, RunMetricsFile, ScoreMetrics } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { runMetrics } from './run-values.js';

const info = {
  counts: { items: 2, results: 2, errors: 0, skipped: 0, malformed_rows: 0, cache_hits: 0 },
  duration_s: 1,
} as unknown as RunInfo;

function metrics(cost: number | null): RunMetricsFile {
  const score = {
    n: 2,
    accuracy: 1,
    cost_usd: cost,
    unpriced_models: cost === null ? ['openai prod-gpt5-deployment'] : [],
    input_tokens: 10,
    confusion_matrix: { labels: [], matrix: [] },
    labels: [],
  } as unknown as ScoreMetrics;
  return {
    scorecard: 'C',
    items: 2,
    scores: { Azure: score },
    cost: {
      usd: cost,
      unpriced_models: score.unpriced_models,
      input_tokens: 10,
      output_tokens: 4,
      llm_calls: 2,
      retries: 0,
    },
    duration_s: 1,
  };
}

describe('runMetrics and unknown costs', () => {
  it('logs no cost metric when the cost is unknown (never 0), and the cost when known', () => {
    const unknown = new Map(
      runMetrics(info, metrics(null), 0).map((entry) => [entry.key, entry.value]),
    );
    expect(unknown.has('run.cost.usd')).toBe(false);
    expect(unknown.has('Azure.cost_usd')).toBe(false);
    expect(unknown.get('run.cost.input_tokens')).toBe(10);
    const known = new Map(
      runMetrics(info, metrics(0.25), 0).map((entry) => [entry.key, entry.value]),
    );
    expect(known.get('run.cost.usd')).toBe(0.25);
    expect(known.get('Azure.cost_usd')).toBe(0.25);
  });
});

describe('runMetrics and unknown counts', () => {
  it('logs no run count when the run could not take its counts (an MLflow metric has no unknown)', () => {
    const keys = (runInfo: RunInfo) => runMetrics(runInfo, undefined, 0).map((entry) => entry.key);
    expect(keys(info)).toContain('run.items');
    const unknown = { ...info, counts_unknown: 'results.jsonl could not be counted' } as RunInfo;
    expect(
      keys(unknown).filter((key) => key.startsWith('run.') && key !== 'run.duration_s'),
    ).toEqual([]);
  });
});
