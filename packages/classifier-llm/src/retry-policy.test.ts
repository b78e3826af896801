import { describe, expect, it } from 'vitest';
import { backoffMs, defaultRetryPolicy, parseRetryAfter } from './retry-policy.js';

const highest = () => 0.999;
const lowest = () => 0;

describe('backoffMs', () => {
  it('retries a sporadic failure promptly, then backs off doubling from the base step', () => {
    // Default policy: base 250 ms. Ceilings: 62.5, 500, 1,000, 2,000 ms (a quarter of the base
    // first, then 250 x 2^(attempt - 1)); with the jitter at 0.999 of them, floored.
    const waits = [1, 2, 3, 4].map((attempt) => backoffMs(defaultRetryPolicy, attempt, highest));
    expect(waits).toEqual([62, 499, 999, 1998]);
    expect([1, 2, 3, 4].map((attempt) => backoffMs(defaultRetryPolicy, attempt, lowest))).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('never waits less than retry-after, and adds the jitter on top of it', () => {
    expect(backoffMs(defaultRetryPolicy, 1, lowest, 50)).toBe(50);
    expect(backoffMs(defaultRetryPolicy, 1, highest, 50)).toBe(50 + 62);
    expect(backoffMs(defaultRetryPolicy, 3, highest, 20_000)).toBe(20_000 + 999);
  });

  it('caps the jitter at maxDelayMs', () => {
    // Retry 10: 250 x 2^9 = 128,000 ms, capped at 20,000: 0.999 x 20,000 = 19,980.
    expect(backoffMs(defaultRetryPolicy, 10, highest)).toBe(19_980);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds with fractions and HTTP dates', () => {
    expect(parseRetryAfter('0.05')).toBe(50);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:02 GMT', 0)).toBe(2000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
