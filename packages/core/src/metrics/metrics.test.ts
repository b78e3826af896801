import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../run/result-line.js';
import { matrixMetrics } from './classification.js';
import { ConfusionCounts } from './confusion.js';
import { mcnemarExact } from './mcnemar.js';
import { ScoreMetricsAccumulator } from './score-metrics.js';

interface Case {
  name: string;
  gold: string[];
  predicted: string[];
  expected: {
    labels: string[];
    accuracy: number;
    precision: Record<string, unknown>;
    recall: Record<string, unknown>;
    f1: Record<string, unknown>;
    cohen_kappa: number;
    gwet_ac1: number;
    confusion_matrix: number[][];
  };
}

// Computed by scripts/metrics-fixtures.py with scikit-learn (see the file's `sklearn` field).
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/sklearn-metrics.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

function expectClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(
      Math.abs((actual as number) - expected),
      `${path}: ${actual} vs ${expected}`,
    ).toBeLessThanOrEqual(1e-9);
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

function line(
  gold: string | null,
  value: string | null,
  status: ResultLine['status'] = 'ok',
): ResultLine {
  return {
    item_id: 'x',
    score: 'S',
    value,
    status,
    label: gold,
    correct: null,
    explanation: null,
    confidence: null,
    cost_usd: 0.001,
    input_tokens: 10,
    output_tokens: 2,
    llm_calls: 1,
    retries: 0,
    latency_ms: 5,
    cached: false,
    error: null,
  };
}

describe('metrics parity with scikit-learn', () => {
  for (const fixture of fixtures.cases) {
    it(`matches scikit-learn to 1e-9: ${fixture.name}`, () => {
      const counts = new ConfusionCounts();
      for (const [index, gold] of fixture.gold.entries())
        counts.add(gold, fixture.predicted[index]!);
      const labels = counts.labels();
      expect(labels).toEqual(fixture.expected.labels);
      const matrix = counts.matrix(labels);
      expect(matrix).toEqual(fixture.expected.confusion_matrix);
      const metrics = matrixMetrics(labels, matrix);
      expectClose(metrics.accuracy, fixture.expected.accuracy, 'accuracy');
      expectClose(metrics.precision, fixture.expected.precision, 'precision');
      expectClose(metrics.recall, fixture.expected.recall, 'recall');
      expectClose(metrics.f1, fixture.expected.f1, 'f1');
      expectClose(metrics.cohen_kappa, fixture.expected.cohen_kappa, 'cohen_kappa');
      expectClose(metrics.gwet_ac1, fixture.expected.gwet_ac1, 'gwet_ac1');
    });
  }
});

describe('agreement on hand-computed examples', () => {
  // 2x2 table, rows rater A (gold), columns rater B: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
  // Cohen's kappa: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4 (the example of
  // Wikipedia's "Cohen's kappa" article). Gwet's AC1 (Gwet 2008): pi_yes = (25 + 30) / 100 = 0.55,
  // pe = 2 * 0.55 * 0.45 = 0.495, AC1 = (0.7 - 0.495) / 0.505 = 0.405940594...
  it('Cohen kappa 0.4 and AC1 0.4059 on the 20/5/10/15 table', () => {
    const metrics = matrixMetrics(
      ['no', 'yes'],
      [
        [15, 10],
        [5, 20],
      ],
    );
    expect(metrics.cohen_kappa).toBeCloseTo(0.4, 12);
    expect(metrics.gwet_ac1).toBeCloseTo(0.205 / 0.505, 12);
  });

  // The high-agreement paradox: 118 yes/yes, 5 yes/no, 2 no/yes, 0 no/no. po = 0.944;
  // kappa: pe = 0.984*0.96 + 0.016*0.04 = 0.94528, kappa = -0.00128/0.05472 = -0.0233918...;
  // AC1: pi_yes = 243/250 = 0.972, pe = 2*0.972*0.028 = 0.054432, AC1 = 0.889568/0.945568 = 0.9407763...
  it('kappa near 0 but AC1 near 0.94 when agreement is high and classes are skewed', () => {
    const metrics = matrixMetrics(
      ['no', 'yes'],
      [
        [0, 2],
        [5, 118],
      ],
    );
    expect(metrics.cohen_kappa).toBeCloseTo(-0.00128 / 0.05472, 12);
    expect(metrics.gwet_ac1).toBeCloseTo(0.889568 / 0.945568, 12);
  });
});

describe('ScoreMetricsAccumulator', () => {
  it('counts a self-consistency flip only when the answered samples name different labels', () => {
    const accumulator = new ScoreMetricsAccumulator();
    const sampled = (samples: (string | null)[]) => ({
      ...line('yes', 'yes'),
      trace: { self_consistency: { samples } },
    });
    // "Yes" and "yes." are one label; a failed sample (null) is no answer: 1 flip in 3 items.
    for (const samples of [
      ['Yes', 'yes.', 'yes'],
      ['yes', null, 'yes'],
      ['yes', 'no', 'yes'],
    ])
      accumulator.add(sampled(samples));
    expect(accumulator.finish(0).self_consistency).toEqual({ items: 3, flip_rate: 1 / 3 });
  });

  it('counts errors, skips and unlabeled apart, normalises labels and gives seeded intervals', () => {
    const accumulator = new ScoreMetricsAccumulator();
    const lines = [
      line('Yes', 'yes'),
      line('yes.', 'YES'),
      line('no', 'yes'),
      line('N/A', 'none'),
      line(null, 'yes'),
      line('no', null, 'error'),
      line('no', null, 'skipped'),
      line('no', null, 'disabled'),
    ];
    for (const entry of lines) accumulator.add(entry);
    const metrics = accumulator.finish(7);
    expect(metrics).toMatchObject({
      n: 4,
      n_results: 8,
      n_errors: 1,
      n_skipped: 2,
      n_unlabeled: 1,
      labels: ['na', 'no', 'yes'],
    });
    expect(metrics.accuracy).toBeCloseTo(0.75, 12);
    expect(metrics.confusion_matrix.matrix).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
    ]);
    expect(metrics.cost_usd).toBeCloseTo(0.008, 12);
    const [low, high] = metrics.accuracy_ci95!;
    expect(low).toBeLessThanOrEqual(0.75);
    expect(high).toBeGreaterThanOrEqual(0.75);
    expect(accumulator.finish(7).accuracy_ci95).toEqual(metrics.accuracy_ci95);
  });

  it('gives a narrow interval for many items and none without labels', () => {
    const accumulator = new ScoreMetricsAccumulator();
    for (let index = 0; index < 2000; index += 1)
      accumulator.add(line(index % 2 ? 'a' : 'b', index % 10 === 0 ? 'a' : index % 2 ? 'a' : 'b'));
    const metrics = accumulator.finish();
    expect(metrics.accuracy).toBeCloseTo(0.9, 12);
    expect(metrics.accuracy_ci95![0]).toBeGreaterThan(0.88);
    expect(metrics.accuracy_ci95![1]).toBeLessThan(0.92);
    const empty = new ScoreMetricsAccumulator().finish();
    expect(empty).toMatchObject({ n: 0, accuracy: null, accuracy_ci95: null, f1: null });
  });
});

describe('intervals on large sets', () => {
  it("accuracy's (Wilson) matches the normal approximation for accuracy 0.9 over 30,000 items", () => {
    const accumulator = new ScoreMetricsAccumulator();
    for (let index = 0; index < 30_000; index += 1)
      accumulator.add(line('a', index % 10 === 0 ? 'b' : 'a'));
    const [low, high] = accumulator.finish(3).accuracy_ci95!;
    // 1.96 * sqrt(0.9 * 0.1 / 30000) = 0.0034
    expect(low).toBeGreaterThan(0.9 - 0.0034 * 1.3);
    expect(low).toBeLessThan(0.9 - 0.0034 * 0.7);
    expect(high).toBeGreaterThan(0.9 + 0.0034 * 0.7);
    expect(high).toBeLessThan(0.9 + 0.0034 * 1.3);
  });
});

describe('McNemar exact test', () => {
  it('matches the binomial tail', () => {
    // b = 10, c = 2: p = 2 * P(X <= 2), X ~ Bin(12, 0.5) = 2 * (1 + 12 + 66) / 4096 = 0.0385742...
    expect(mcnemarExact(10, 2)).toBeCloseTo((2 * 79) / 4096, 12);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(3000, 2600)).toBeLessThan(1e-6);
    expect(mcnemarExact(3000, 2990)).toBeGreaterThan(0.5);
  });
});
