/** A seeded pseudo-random generator (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first `count` items. */
export async function* firstItems<T>(items: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  if (count <= 0) return;
  let taken = 0;
  for await (const item of items) {
    yield item;
    taken += 1;
    if (taken >= count) return;
  }
}

/**
 * A seeded uniform sample of `size` items (reservoir sampling), in dataset order.
 * Holds `size` items in memory.
 */
export async function* sampleItems<T>(
  items: AsyncIterable<T>,
  size: number,
  seed: number,
): AsyncGenerator<T> {
  const random = seededRandom(seed);
  const reservoir: { index: number; item: T }[] = [];
  let index = 0;
  for await (const item of items) {
    if (reservoir.length < size) reservoir.push({ index, item });
    else {
      const slot = Math.floor(random() * (index + 1));
      if (slot < size) reservoir[slot] = { index, item };
    }
    index += 1;
  }
  reservoir.sort((left, right) => left.index - right.index);
  for (const entry of reservoir) yield entry.item;
}
