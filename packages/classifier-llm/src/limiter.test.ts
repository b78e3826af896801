import { describe, expect, it } from 'vitest';
import { RequestLimiter } from './request-limiter.js';

describe('RequestLimiter', () => {
  it('keeps at most maxConcurrency tasks in flight', async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 3 });
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(1, async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight -= 1;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it('halves concurrency on a rate limit, pauses for retry-after, then grows back', async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 8 });
    limiter.rateLimited(50);
    expect(limiter.concurrency).toBe(4);
    const started = Date.now();
    await limiter.run(1, async () => {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    for (let index = 0; index < 4; index += 1) limiter.succeeded();
    expect(limiter.concurrency).toBe(5);
  });

  it('halves and pauses once for the 429s of requests sent before the last halving', async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 64 });
    const sent = limiter.epoch; // 64 requests sent together, then their 429s come back
    limiter.rateLimited(10, sent);
    const pausedTill = Date.now() + 10;
    for (let index = 0; index < 10; index += 1) limiter.rateLimited(5_000, sent);
    expect(limiter.concurrency).toBe(32);
    // Their longer retry-after did not extend the pause either: a request runs after about 10 ms.
    const started = Date.now();
    await limiter.run(1, async () => {});
    expect(Date.now()).toBeLessThan(pausedTill + 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    limiter.rateLimited(10, limiter.epoch); // a request sent after the halving: overload still
    expect(limiter.concurrency).toBe(16);
  });

  it('holds requests beyond the per-minute budget', async () => {
    let now = 0;
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 2 }, () => now);
    const done: number[] = [];
    const tasks = [1, 2, 3].map((id) => limiter.run(1, async () => done.push(id)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toEqual([1, 2]);
    now = 60_001;
    // The clock is fake, the limiter's timer is not: ask it to look at the queue again.
    limiter.configure({});
    await Promise.all(tasks);
    expect(done).toEqual([1, 2, 3]);
  });
});
