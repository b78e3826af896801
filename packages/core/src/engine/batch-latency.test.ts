// latency_ms of a score that answers a whole batch at once: the batch's time shared among its
// items, not the whole batch's time given to every item (which made a rule score's mean latency
// grow with its batch size).
import { expect, it } from 'vitest';
import { type EngineItem, runEngineBatches } from './engine.js';
import { testScores } from './engine-fixture.js';

it('shares the time of a batch among the items of the batch', async () => {
  const scores = await testScores(
    'name: X\nscores:\n  - { name: Slow, class: test/contains, word: card, batch_size: 100, delay_ms: 200 }\n',
  );
  const items: EngineItem[] = Array.from({ length: 200 }, (_, index) => ({
    id: `item-${index}`,
    text: `text ${index}`,
    metadata: {},
  }));
  const latencies: number[] = [];
  const started = performance.now();
  for await (const group of runEngineBatches({ scores, scorecard: 'X', items }))
    for (const result of group) latencies.push(result.latencyMs);
  const elapsed = performance.now() - started;
  expect(latencies).toHaveLength(200);
  // Two batches of 100 items, each waiting 200 ms: about 2 ms an item, never the batch's 200.
  for (const latency of latencies) expect(latency).toBeGreaterThanOrEqual(1.9);
  for (const latency of latencies) expect(latency).toBeLessThan(20);
  const total = latencies.reduce((sum, latency) => sum + latency, 0);
  expect(total).toBeGreaterThanOrEqual(399);
  // The two batches may wait at the same time: each batch's share sums to at most the run's time.
  expect(total).toBeLessThanOrEqual(2 * elapsed + 1);
});
