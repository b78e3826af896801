import type { RunInfo, ScoreMetrics } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { runMetrics } from './run-values.js';

const info = {
  counts: { items: 2, results: 2, errors: 0, skipped: 0, malformed_rows: 0, cache_hits: 0 },
  duration_s: 1,
} as unknown as RunInfo;

describe('runMetrics with agreement and calibration', () => {
  it('logs the reviewers agreement as feedback.<score>.* and the calibration as <score>.calibration.*', () => {
    const score = {
      n: 2,
      accuracy: 1,
      confusion_matrix: { labels: [], matrix: [] },
      labels: [],
      calibration: { n: 2, ece: 0.125, bins: 10, brier_top_label: 0.05, reliability: [] },
    } as unknown as ScoreMetrics;
    const values = new Map(
      runMetrics(info, { scorecard: 'C', items: 2, scores: { Greeting: score } } as never, 0, {
        computed_at: '2026-12-06T18:00:00.000Z',
        scores: {
          Greeting: {
            items: 40,
            reviewers: 3,
            krippendorff_alpha: 0.71,
            fleiss_kappa: null,
            human_ceiling: null,
            model_vs_majority: { n: 38, accuracy: 0.9, cohen_kappa: 0.8, gwet_ac1: 0.85 },
          },
        },
      }).map((entry) => [entry.key, entry.value]),
    );
    expect(values.get('Greeting.calibration.ece')).toBe(0.125);
    expect(values.get('Greeting.calibration.brier_top_label')).toBe(0.05);
    expect(values.get('feedback.Greeting.krippendorff_alpha')).toBe(0.71);
    expect(values.get('feedback.Greeting.reviewers')).toBe(3);
    expect(values.get('feedback.Greeting.model_vs_majority.gwet_ac1')).toBe(0.85);
    // Unknown is absent, never 0.
    expect(values.has('feedback.Greeting.fleiss_kappa')).toBe(false);
  });

  it("leaves out the model's agreement computed before the run last ended (of other results)", () => {
    // A --retry-errors resume after `plexus feedback agreement --run`: the model's figures were
    // of the results before it; MLflow logged them as this run's.
    const ended = { ...info, ended_at: '2026-12-06T19:00:00.000Z' } as RunInfo;
    const agreement = {
      computed_at: '2026-12-06T18:00:00.000Z',
      scores: {
        Greeting: {
          items: 40,
          reviewers: 3,
          krippendorff_alpha: 0.71,
          fleiss_kappa: 0.7,
          human_ceiling: null,
          model_vs_majority: { n: 38, accuracy: 0.9, cohen_kappa: 0.8, gwet_ac1: 0.85 },
        },
      },
    };
    const keys = (run: RunInfo) =>
      runMetrics(run, undefined, 0, agreement).map((entry) => entry.key);
    expect(keys(ended)).toContain('feedback.Greeting.krippendorff_alpha');
    expect(keys(ended).filter((key) => key.includes('model_vs_majority'))).toEqual([]);
    const fresh = { ...info, ended_at: '2026-12-06T17:00:00.000Z' } as RunInfo;
    expect(keys(fresh)).toContain('feedback.Greeting.model_vs_majority.accuracy');
  });
});
