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
});
