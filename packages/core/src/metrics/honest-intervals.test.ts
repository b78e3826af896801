// 95% intervals that claim no certainty the data lacks: accuracy's is the Wilson score interval
// (checked against statsmodels and SciPy), macro F1's bootstrap interval is absent, with the
// reason, where the resamples cannot vary (one item, every answer right).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { resultLine } from '../run/result-line-fixture.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { ScoreMetricsAccumulator } from './score-metrics.js';

// Computed by scripts/interval-fixtures.py with statsmodels' proportion_confint(method="wilson")
// and SciPy's binomtest(...).proportion_ci(method="wilson").
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/wilson-intervals.json', import.meta.url), 'utf8'),
) as {
  cases: { correct: number; n: number; statsmodels: [number, number]; scipy: [number, number] }[];
};

/** `correct` right answers of `n` (gold a, b alternating; a wrong answer gives the other label). */
function metricsOf(correct: number, n: number) {
  const accumulator = new ScoreMetricsAccumulator();
  for (let index = 0; index < n; index += 1) {
    const label = index % 2 === 0 ? 'a' : 'b';
    const value = index < correct ? label : label === 'a' ? 'b' : 'a';
    accumulator.add(resultLine(`i${index}`, { label, value, correct: value === label }));
  }
  return accumulator.finish(7);
}

describe("accuracy's 95% interval (Wilson score)", () => {
  for (const fixture of fixtures.cases) {
    it(`matches statsmodels and SciPy to 1e-12: ${fixture.correct} right of ${fixture.n}`, () => {
      const metrics = metricsOf(fixture.correct, fixture.n);
      const [low, high] = metrics.accuracy_ci95!;
      for (const reference of [fixture.statsmodels, fixture.scipy]) {
        expect(Math.abs(low - reference[0])).toBeLessThan(1e-12);
        expect(Math.abs(high - reference[1])).toBeLessThan(1e-12);
      }
      expect(low).toBeLessThanOrEqual(metrics.accuracy!);
      expect(high).toBeGreaterThanOrEqual(metrics.accuracy!);
    });
  }

  it('is not [1, 1] for one right answer, nor [0, 0] for every answer wrong', () => {
    expect(metricsOf(1, 1).accuracy_ci95).not.toEqual([1, 1]);
    expect(metricsOf(1, 1).accuracy_ci95![1]).toBe(1);
    expect(metricsOf(0, 5).accuracy_ci95![0]).toBe(0);
    expect(metricsOf(0, 5).accuracy_ci95![1]).toBeGreaterThan(0.4);
  });
});

describe("macro F1's bootstrap interval", () => {
  it('is absent with the reason for one item', () => {
    const metrics = metricsOf(1, 1);
    expect(metrics.f1_macro_ci95).toBeNull();
    expect(metrics.f1_macro_ci95_reason).toBe(
      'too few items (1): every resample is that one item, so the interval would be one value',
    );
  });

  it('is absent with the reason when every resample gives the same value', () => {
    // Every answer right (two labels): every resample's macro F1 is 1.
    const right = metricsOf(30, 30);
    expect(right.f1_macro_ci95).toBeNull();
    expect(right.f1_macro_ci95_reason).toBe(
      'no variation in the resamples: all 1000 give 1.000, so a 95% interval cannot be taken from them',
    );
    // Every answer wrong: 0 in every resample.
    expect(metricsOf(0, 12)).toMatchObject({ f1_macro_ci95: null });
  });

  it('is there, with no reason, when the resamples vary', () => {
    const metrics = metricsOf(25, 30);
    const [low, high] = metrics.f1_macro_ci95!;
    expect(low).toBeLessThan(high);
    expect(metrics.f1_macro_ci95_reason).toBeNull();
  });

  it('is absent with the reason when no item has a gold label', () => {
    const metrics = new ScoreMetricsAccumulator().finish();
    expect(metrics).toMatchObject({ accuracy_ci95: null, f1_macro_ci95: null });
    expect(metrics.f1_macro_ci95_reason).toBe('no item with a gold label was answered');
  });
});

describe('a run of one item', () => {
  it('writes the Wilson interval and the missing F1 interval with its reason to metrics.json and the report', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-intervals-'));
    const data = join(folder, 'data.csv');
    writeFileSync(data, 'id,text,Card\n1,card one,yes\n');
    const yaml = 'name: One\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({ scorecard, data, outDir: out, cache: false });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).scores.Card;
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(metrics.accuracy).toBe(1);
    expect(metrics.accuracy_ci95[0]).toBeCloseTo(fixtures.cases[0]!.statsmodels[0], 12);
    expect(metrics.accuracy_ci95[1]).toBe(1);
    expect(metrics.f1_macro_ci95).toBeNull();
    expect(metrics.f1_macro_ci95_reason).toMatch(/^too few items \(1\)/);
    expect(report).toContain('95% CI [0.207, 1.000]');
    expect(report).not.toContain('[1.000, 1.000]');
    expect(report).toContain('no 95% CI: too few items (1)');
  });
});

describe("macro F1's interval on a large set (Poisson bootstrap, above 20,000 items)", () => {
  it('is narrow around the macro F1 of 30,000 items', () => {
    // Gold a, b alternating; one a and one b of every 20 wrong: macro F1 0.9, standard error
    // about sqrt(0.9 * 0.1 / 30,000) = 0.0017.
    const metrics = metricsOf(0, 0);
    const accumulator = new ScoreMetricsAccumulator();
    for (let index = 0; index < 30_000; index += 1) {
      const label = index % 2 === 0 ? 'a' : 'b';
      const value = index % 20 < 2 ? (label === 'a' ? 'b' : 'a') : label;
      accumulator.add(resultLine(`i${index}`, { label, value, correct: value === label }));
    }
    const large = accumulator.finish(3);
    expect(metrics.f1_macro_ci95).toBeNull();
    expect(large.f1!.macro).toBeCloseTo(0.9, 12);
    const [low, high] = large.f1_macro_ci95!;
    expect(low).toBeLessThan(0.9);
    expect(high).toBeGreaterThan(0.9);
    // 1.96 * 0.0017 = 0.0034 each side.
    expect(high - low).toBeGreaterThan(0.0068 * 0.7);
    expect(high - low).toBeLessThan(0.0068 * 1.3);
  });
});
