import { describe, expect, it } from 'vitest';
import { IdSet } from './id-set.js';

describe('IdSet', () => {
  it('finds repeats among many ids, across growth', () => {
    const ids = new IdSet();
    for (let index = 0; index < 100_000; index += 1) expect(ids.add(`item-${index}`)).toBe(true);
    expect(ids.size).toBe(100_000);
    for (const index of [0, 1, 4095, 99_999]) expect(ids.add(`item-${index}`)).toBe(false);
    expect(ids.add('item-100000')).toBe(true);
    expect(ids.add('')).toBe(true);
    expect(ids.add('')).toBe(false);
  });

  it('finds repeats across the move from exact ids to hashes, at any step of it', () => {
    for (const repeatAt of [65_536, 65_537, 70_000]) {
      const ids = new IdSet();
      for (let index = 0; index < repeatAt; index += 1) ids.add(`id ${index}`);
      // The first id repeated just as (or after) the set moves to hashes.
      expect(ids.add('id 0')).toBe(false);
      expect(ids.size).toBe(repeatAt);
      expect(ids.add('id 65535')).toBe(false);
      expect(ids.add(`id ${repeatAt}`)).toBe(true);
      expect(ids.size).toBe(repeatAt + 1);
    }
  });
});
