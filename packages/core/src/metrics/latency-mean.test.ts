// latency_ms_mean counts every line scored in this run, however fast (a rule score's share of its
// batch may be a few nanoseconds, or round to 0), and leaves out cache hits and skips.
import { expect, it } from 'vitest';
import { resultLine } from '../run/result-line-fixture.js';
import { ScoreMetricsAccumulator } from './score-metrics.js';

it('is the mean of the scored lines, zeros included, without cache hits and skips', () => {
  const metrics = new ScoreMetricsAccumulator();
  const scored = [0.000053, 0, 0.000047, 0.0012, 0];
  scored.forEach((latency, index) => {
    metrics.add(resultLine(`item-${index}`, { latency_ms: latency }));
  });
  metrics.add(resultLine('hit', { latency_ms: 0, cached: true }));
  metrics.add(resultLine('skip', { latency_ms: 0, status: 'skipped', value: null, correct: null }));
  // By hand: (0.000053 + 0 + 0.000047 + 0.0012 + 0) / 5 = 0.00026.
  expect(metrics.finish().latency_ms_mean).toBeCloseTo(0.00026, 12);
});
