// A disabled score runs nothing: its lines (latency_ms 0) are no time. Its mean latency is
// unknown (null, the report's dash), not a measured 0 ms; beside scored lines they do not count.
import { expect, it } from 'vitest';
import { resultLine } from '../run/result-line-fixture.js';
import { isTimed, ScoreMetricsAccumulator } from './score-metrics.js';

const disabled = { status: 'disabled' as const, value: null, label: null, correct: null };

it('is null for a disabled score (nothing ran), not 0 ms', () => {
  const metrics = new ScoreMetricsAccumulator();
  for (const id of ['a', 'b', 'c']) metrics.add(resultLine(id, { ...disabled, latency_ms: 0 }));
  const finished = metrics.finish();
  expect(finished.n_skipped).toBe(3);
  expect(finished.latency_ms_mean).toBeNull();
});

it('leaves disabled lines out of the mean of scored ones', () => {
  const metrics = new ScoreMetricsAccumulator();
  metrics.add(resultLine('scored-1', { latency_ms: 3 }));
  metrics.add(resultLine('scored-2', { latency_ms: 5 }));
  metrics.add(resultLine('off', { ...disabled, latency_ms: 0 }));
  // By hand: (3 + 5) / 2 = 4 (with the disabled line counted it was 8 / 3).
  expect(metrics.finish().latency_ms_mean).toBe(4);
  expect(isTimed({ cached: false, status: 'disabled' })).toBe(false);
});
