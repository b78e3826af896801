import { describe, expect, it } from 'vitest';
import { stratifiedSample } from './sampling.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const value of iterable) all.push(value);
  return all;
}

async function* items(): AsyncGenerator<{ id: number; label: string | undefined }> {
  // 1000 items: 70% ham, 25% spam, 5% without a label.
  for (let id = 0; id < 1000; id += 1)
    yield { id, label: id % 20 === 0 ? undefined : id % 4 === 1 ? 'spam' : 'ham' };
}

describe('stratifiedSample', () => {
  it('keeps label proportions, is seeded and keeps dataset order', async () => {
    const sample = await collect(
      stratifiedSample(items(), { size: 100, seed: 3, labelOf: (item) => item.label }),
    );
    expect(sample).toHaveLength(100);
    const count = (label: string | undefined) =>
      sample.filter((item) => item.label === label).length;
    expect([count('ham'), count('spam'), count(undefined)]).toEqual([70, 25, 5]);
    expect(sample.map((item) => item.id)).toEqual(
      [...sample.map((item) => item.id)].sort((a, b) => a - b),
    );
    const again = await collect(
      stratifiedSample(items(), { size: 100, seed: 3, labelOf: (item) => item.label }),
    );
    expect(again).toEqual(sample);
    const other = await collect(
      stratifiedSample(items(), { size: 100, seed: 4, labelOf: (item) => item.label }),
    );
    expect(other).not.toEqual(sample);
  });
});
