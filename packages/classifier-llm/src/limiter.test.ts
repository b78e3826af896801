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
    // With no answers before, the usual share is the prior 1 in 20: for 3 answers 0.15 expected,
    // and 0.15 + 3 x 0.39 + 1 = 2.31 (3 deviations while the recent window fills), so the third
    // 429 in a row is load, not the first two.
    expect([1, 2, 3].map(() => limiter.rateLimited(50))).toEqual([false, false, true]);
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
    for (let index = 0; index < 4; index += 1) limiter.rateLimited(10, sent);
    const pausedTill = Date.now() + 10;
    for (let index = 0; index < 10; index += 1) limiter.rateLimited(5_000, sent);
    expect(limiter.concurrency).toBe(32);
    // Their longer retry-after did not extend the pause either: a request runs after about 10 ms.
    const started = Date.now();
    await limiter.run(1, async () => {});
    expect(Date.now()).toBeLessThan(pausedTill + 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    // Requests sent after the halving: overload still.
    for (let index = 0; index < 4; index += 1) limiter.rateLimited(10, limiter.epoch);
    expect(limiter.concurrency).toBe(16);
  });

  it('rests only the refused slot after a 429 of noise: the others run at once', async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 3 });
    expect(limiter.rateLimited(60_000)).toBe(false); // noise: one slot rests for a minute
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Two slots are left: the first two run, the third waits for one of them, not for the minute.
    const first = limiter.run(1, async () => {
      order.push('first');
      await held;
    });
    const second = limiter.run(1, async () => {
      order.push('second');
      await held;
    });
    const third = limiter.run(1, async () => {
      order.push('third');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['first', 'second']);
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(limiter.concurrency).toBe(3);
  });

  it('takes the third 429 in a row as load after a clean history', () => {
    const limiter = new RequestLimiter({ maxConcurrency: 64 });
    for (let answer = 0; answer < 600; answer += 1) limiter.succeeded();
    // Usual share (0 + 1) / (512 + 20): 0.12 expected in 64 answers, and with the recent window
    // full (5 deviations) 0.12 + 5 x 0.35 + 1 = 2.85.
    expect([1, 2, 3].map(() => limiter.rateLimited(50))).toEqual([false, false, true]);
    expect(limiter.limited).toEqual({ noise: 2, load: 1 });
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

  it('takes a 429 among successes as noise, and a share well above the usual one as load', () => {
    const limiter = new RequestLimiter({ maxConcurrency: 64 });
    // 5% noise: one 429 every 20 answers for 1,000 answers: never a halving.
    for (let answer = 1; answer <= 1000; answer += 1) {
      if (answer % 20 === 0) expect(limiter.rateLimited(50)).toBe(false);
      else limiter.succeeded();
    }
    expect(limiter.concurrency).toBe(64);
    // Then 1 in 5: with 64 recent answers, some 3.1 429s expected from the 5% baseline, and
    // 3.1 + 5 x 1.77 + 1 = 13 (the window is full: 5 deviations): the 13th 429 in the last 64
    // answers (the 12th of these) is load, once (at 3 deviations it halved twice in these 80).
    const taken: boolean[] = [];
    for (let answer = 1; answer <= 80; answer += 1) {
      if (answer % 5 === 0) taken.push(limiter.rateLimited(50));
      else limiter.succeeded();
    }
    expect(limiter.concurrency).toBe(32);
    expect(taken.indexOf(true)).toBe(11);
  });
});
