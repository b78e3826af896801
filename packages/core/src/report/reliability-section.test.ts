import { describe, expect, it } from 'vitest';
import { calibrationMetrics } from '../metrics/calibration.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { reliabilitySection } from './reliability-section.js';

describe('reliabilitySection', () => {
  it('draws one bar per non-empty bin, as high as its accuracy, with ECE and Brier', () => {
    const calibration = calibrationMetrics([
      { confidence: 0.35, correct: false },
      { confidence: 0.35, correct: true },
      { confidence: 0.95, correct: true },
    ])!;
    const html = reliabilitySection({ calibration } as ScoreMetrics);
    expect(html).toContain(`ECE ${calibration.ece.toFixed(3)}`);
    expect(html).toContain(`Brier (top label) ${calibration.brier_top_label.toFixed(3)}`);
    expect(html.match(/<rect class="bin"/g)).toHaveLength(2);
    // Bin 0.3–0.4: accuracy 0.5, so the bar starts halfway up the 220-pixel plot (28 + 110).
    expect(html).toContain('confidence 0.3–0.4: 2 answers, accuracy 0.500, mean confidence 0.350');
    expect(html).toMatch(/<rect class="bin" x="95" y="138" width="20" height="110"\/>/);
  });

  it('is empty for a score without confidences', () => {
    expect(reliabilitySection({} as ScoreMetrics)).toBe('');
  });
});
