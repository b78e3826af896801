import { describe, expect, it } from 'vitest';
import { type EngineItem, runEngineBatches } from './engine.js';
import { testScores } from './engine-fixture.js';

/** Three items, three more while the consumer is busy, then a source that breaks. */
async function* breakingSource(): AsyncGenerator<EngineItem> {
  for (let index = 0; index < 6; index += 1) {
    if (index === 3) await new Promise((resolve) => setTimeout(resolve, 20));
    yield { id: `item-${index}`, text: `a card ${index}`, metadata: {} };
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  throw new Error('the disk went away');
}

describe('a run-stopping failure', () => {
  it('gives out the results completed before it, then the failure', async () => {
    const scores = await testScores(
      'name: X\nscores:\n  - { name: Card, class: test/contains, word: card }\n',
    );
    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const group of runEngineBatches({
        scores,
        scorecard: 'X',
        items: breakingSource(),
      }))
        for (const result of group) {
          received.push(result.item.id);
          // A slow consumer: the next results and the failure arrive while it writes.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).toContain('the disk went away');
    // Every item read before the failure was scored: none of those results is lost.
    expect(received.sort()).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
  });
});
