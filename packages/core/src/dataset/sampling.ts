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

/**
 * A seeded sample of `size` items that keeps the proportions of a label (largest remainders),
 * in dataset order. Items without the label form their own group. Holds up to `size` items per
 * label in memory.
 */
export async function* stratifiedSample<T>(
  items: AsyncIterable<T>,
  options: { size: number; seed: number; labelOf: (item: T) => string | undefined },
): AsyncGenerator<T> {
  const random = seededRandom(options.seed);
  const groups = new Map<string, { seen: number; reservoir: { index: number; item: T }[] }>();
  let index = 0;
  for await (const item of items) {
    const key = options.labelOf(item) ?? '\u0000none';
    let group = groups.get(key);
    if (!group) {
      group = { seen: 0, reservoir: [] };
      groups.set(key, group);
    }
    if (group.reservoir.length < options.size) group.reservoir.push({ index, item });
    else {
      const slot = Math.floor(random() * (group.seen + 1));
      if (slot < options.size) group.reservoir[slot] = { index, item };
    }
    group.seen += 1;
    index += 1;
  }
  const total = index;
  const size = Math.min(options.size, total);
  const shares = [...groups.values()].map((group) => {
    const exact = (group.seen / Math.max(total, 1)) * size;
    return { group, take: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = size - shares.reduce((sum, share) => sum + share.take, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    share.take += 1;
    left -= 1;
  }
  const chosen: { index: number; item: T }[] = [];
  for (const { group, take } of shares) {
    // Reservoir slots are not in random order: shuffle before taking a share.
    const pool = group.reservoir;
    for (let position = pool.length - 1; position > 0; position -= 1) {
      const other = Math.floor(random() * (position + 1));
      [pool[position], pool[other]] = [pool[other]!, pool[position]!];
    }
    // One at a time: push(...slice) overflowed the stack for a share over ~120,000 items.
    const taken = Math.min(take, pool.length);
    for (let position = 0; position < taken; position += 1) chosen.push(pool[position]!);
  }
  chosen.sort((left, right) => left.index - right.index);
  for (const entry of chosen) yield entry.item;
}
