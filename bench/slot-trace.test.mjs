// node --test bench/slot-trace.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestLimiter } from '@plexus/classifier-llm';
import { kindOf, traceSlots } from './slot-trace.mjs';

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('how a request ended, from its error', () => {
  assert.equal(kindOf({ status: 429 }), '429');
  assert.equal(kindOf({ status: 500 }), '5xx');
  assert.equal(kindOf({ code: 'timeout' }), 'hang');
  assert.equal(kindOf({ status: 499, code: 'aborted' }), 'aborted');
  assert.equal(kindOf(new Error('other')), 'other');
});

test('a limiter of 2 slots: each request in slot order, its time by kind, and the slots left free', async () => {
  const limiter = new RequestLimiter({ maxConcurrency: 2 });
  const trace = traceSlots(limiter, 2);
  const fail = (ms, error) => () =>
    wait(ms).then(() => {
      throw error;
    });
  // Slot A: ok for 60 ms; slot B: a 429 after 20 ms, then a timeout after 40 ms (ends at 60 ms).
  const runs = [
    limiter.run(1, () => wait(60)),
    limiter.run(1, fail(20, { status: 429 })).catch(() => {}),
    limiter.run(1, fail(40, { code: 'timeout' })).catch(() => {}),
  ];
  await Promise.all(runs);
  // Then both slots free with nothing waiting for about 100 ms: some 0.2 slot-seconds.
  await wait(100);
  const { requests, held, idle } = trace.stop();
  assert.deepEqual(
    requests.map((request) => request.kind),
    ['ok', '429', 'hang'],
  );
  // Timers run late, never early: at least the waits, and below a second.
  assert.ok(held.ok >= 0.059 && held.ok < 1, `ok ${held.ok}`);
  assert.ok(held['429'] >= 0.019 && held['429'] < 1, `429 ${held['429']}`);
  assert.ok(held.hang >= 0.039 && held.hang < 1, `hang ${held.hang}`);
  assert.equal(idle.waiting, 0);
  assert.ok(idle.nothingWaiting >= 0.1 && idle.nothingWaiting < 2, `free ${idle.nothingWaiting}`);
  // The limiter's own run is back.
  assert.equal(limiter.run, RequestLimiter.prototype.run);
});
