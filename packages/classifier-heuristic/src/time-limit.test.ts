import { describe, expect, it } from 'vitest';
import { mapWithTimeLimit } from './time-limit.js';

/** Keeps the thread busy for `ms` (a regex that backtracks does the same to the watchdog). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('mapWithTimeLimit', () => {
  it('gives items that outlast the limit together a fresh limit each, so none fails', () => {
    const calls: number[] = [];
    // Each item takes 150 ms of a 400 ms limit: five outlast it together, and one alone has
    // 250 ms to spare for a loaded machine (the limit is wall time: at load 6 on two cores, an
    // item of 40 ms outlasted a 100 ms limit alone).
    const results = mapWithTimeLimit(
      5,
      400,
      (index) => {
        calls.push(index);
        busy(150);
        return index * 2;
      },
      () => -1,
    );
    expect(results).toEqual([0, 2, 4, 6, 8]);
    // The batch ran out of time at least once and the item it stopped at ran again.
    expect(calls.length).toBeGreaterThan(5);
  });

  it('stops an item that runs past the limit alone and goes on with the rest', () => {
    const started = performance.now();
    const results = mapWithTimeLimit(
      3,
      100,
      (index) => {
        if (index === 1) busy(60_000);
        return `ok ${index}`;
      },
      (index) => `timed out ${index}`,
    );
    expect(results).toEqual(['ok 0', 'timed out 1', 'ok 2']);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('passes other errors on', () => {
    expect(() =>
      mapWithTimeLimit(
        2,
        100,
        () => {
          throw new Error('a bug');
        },
        () => 0,
      ),
    ).toThrow('a bug');
  });
});
