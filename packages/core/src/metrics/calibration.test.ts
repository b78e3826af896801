import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCalibration, calibrationMetrics, fitIsotonic, fitPlatt } from './calibration.js';

// Made by scripts/calibration-fixtures.py (scikit-learn 1.7; ECE and Brier with numpy).
interface Fixture {
  cases: {
    name: string;
    confidence: number[];
    correct: boolean[];
    grid: number[];
    expected: {
      isotonic: number[];
      platt: number[];
      ece: number;
      brier_top_label: number;
      reliability: { n: number; accuracy: number | null; confidence: number | null }[];
    };
  }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/calibration.json', import.meta.url), 'utf8'),
) as Fixture;

describe('calibration against scikit-learn', () => {
  for (const entry of fixture.cases) {
    it(entry.name, () => {
      const isotonic = fitIsotonic(entry.confidence, entry.correct.map(Number));
      // scikit-learn fits Platt with L-BFGS (tolerance about 1e-6); Newton's method here is exact.
      const platt = fitPlatt(entry.confidence, entry.correct);
      for (const [index, x] of entry.grid.entries()) {
        expect(
          Math.abs(applyCalibration(isotonic, x) - entry.expected.isotonic[index]!),
        ).toBeLessThan(1e-12);
        expect(Math.abs(applyCalibration(platt, x) - entry.expected.platt[index]!)).toBeLessThan(
          1e-4,
        );
      }
      const metrics = calibrationMetrics(
        entry.confidence.map((confidence, index) => ({
          confidence,
          correct: entry.correct[index]!,
        })),
      )!;
      expect(Math.abs(metrics.ece - entry.expected.ece)).toBeLessThan(1e-12);
      expect(Math.abs(metrics.brier_top_label - entry.expected.brier_top_label)).toBeLessThan(
        1e-12,
      );
      expect(metrics.reliability.map((bin) => bin.n)).toEqual(
        entry.expected.reliability.map((bin) => bin.n),
      );
      metrics.reliability.forEach((bin, index) => {
        const expected = entry.expected.reliability[index]!;
        if (expected.accuracy === null) expect(bin.accuracy).toBeNull();
        else expect(Math.abs(bin.accuracy! - expected.accuracy)).toBeLessThan(1e-12);
      });
    });
  }

  it('bins by hand: [0.1, 0.2) holds 0.1, the last bin holds 1.0', () => {
    const metrics = calibrationMetrics([
      { confidence: 0.1, correct: false },
      { confidence: 1, correct: true },
      { confidence: 0.95, correct: false },
    ])!;
    expect(metrics.reliability[1]).toEqual({
      lo: 0.1,
      hi: 0.2,
      n: 1,
      accuracy: 0,
      confidence: 0.1,
    });
    expect(metrics.reliability[9]).toMatchObject({ n: 2, accuracy: 0.5, confidence: 0.975 });
    // ECE = 1/3 * |0 - 0.1| + 2/3 * |0.5 - 0.975|
    expect(metrics.ece).toBeCloseTo((1 / 3) * 0.1 + (2 / 3) * 0.475, 12);
    expect(metrics.brier_top_label).toBeCloseTo((0.01 + 0 + 0.9025) / 3, 12);
    expect(calibrationMetrics([])).toBeNull();
  });
});
