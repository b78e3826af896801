import { describe, expect, it } from 'vitest';
import { type EngineItem, runEngineBatches } from './engine.js';
import { cardItems, testScores } from './engine-fixture.js';

const card = `name: X
scores:
  - { name: Card, class: test/contains, word: card, batch_size: 100 }
  - { name: Lost, class: test/contains, word: number, depends_on: { Card: { operator: "==", value: "yes" } } }
`;

/** Every result as `item:score=value`, sorted, and how many results there were. */
async function outcomes(options: Parameters<typeof runEngineBatches>[0]): Promise<string[]> {
  const all: string[] = [];
  for await (const group of runEngineBatches(options))
    for (const result of group)
      all.push(`${result.item.id}:${result.score}=${result.output.value}`);
  return all.sort();
}

/** The items in arrays of `size`, from an async source (a dataset's chunks). */
async function* inArrays(items: EngineItem[], size: number): AsyncGenerator<EngineItem[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

describe('the engine, given arrays of items', () => {
  it('scores every item of every array once, as it scores them one at a time', async () => {
    const scores = await testScores(card);
    const items = cardItems(1000);
    const oneByOne = await outcomes({
      scores,
      scorecard: 'X',
      items: (async function* () {
        yield* items;
      })(),
    });
    // Arrays larger than the window (256), smaller, and of one item.
    for (const size of [700, 37, 1]) {
      const counted: string[] = [];
      const arrays = await outcomes({
        scores,
        scorecard: 'X',
        items: inArrays(items, size),
        onItem: (item) => counted.push(item.id),
      });
      expect(arrays).toHaveLength(2000);
      expect(arrays).toEqual(oneByOne);
      // Each item counted once, in the order of the source.
      expect(counted).toEqual(items.map((item) => item.id));
    }
  });

  it('mixes arrays and single items, and scores an in-memory array in slices', async () => {
    const scores = await testScores(card);
    const items = cardItems(3000);
    const mixed = (async function* () {
      yield items.slice(0, 10);
      yield items[10]!;
      yield [];
      yield items.slice(11);
    })();
    const expected = await outcomes({ scores, scorecard: 'X', items });
    expect(expected).toHaveLength(6000);
    expect(await outcomes({ scores, scorecard: 'X', items: mixed })).toEqual(expected);
  });

  it('keeps at most the window of items in flight, also when an array is larger', async () => {
    const scores = await testScores(card);
    let taken = 0;
    let scoredMax = 0;
    const window = 50;
    for await (const group of runEngineBatches({
      scores,
      scorecard: 'X',
      window,
      items: inArrays(cardItems(1000), 400),
      onItem: () => {
        taken += 1;
      },
    })) {
      // Items taken and not yet given out whole stay within the window (each has 2 results).
      scoredMax = Math.max(scoredMax, group.length);
      expect(taken).toBeLessThanOrEqual(1000);
    }
    expect(taken).toBe(1000);
    expect(scoredMax).toBeLessThanOrEqual(2 * window);
  });

  it('stops taking items from an array on abort, and counts only those taken', async () => {
    const scores = await testScores(card);
    const controller = new AbortController();
    let taken = 0;
    let results = 0;
    for await (const group of runEngineBatches({
      scores,
      scorecard: 'X',
      window: 20,
      signal: controller.signal,
      items: inArrays(cardItems(1000), 1000),
      onItem: () => {
        taken += 1;
      },
    })) {
      results += group.length;
      controller.abort();
    }
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(1000);
    expect(results).toBeLessThanOrEqual(2 * taken);
  });
});
