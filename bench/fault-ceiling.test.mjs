// node --test bench/fault-ceiling.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultCeiling, scheduleCeiling } from './fault-ceiling.mjs';

test('the ceiling of a run with faults, against a hand count', () => {
  // Fault-free: 1,000 calls at C=10 in 10 s: a call holds a slot 0.1 s.
  // With faults: 1,100 requests, 10 of them hangs (2 s each) and 50 429s (50 ms rest each):
  // 1,090 x 0.1 + 10 x 2 + 50 x 0.05 = 109 + 20 + 2.5 = 131.5 slot-seconds, 13.15 s at C=10.
  const ceiling = faultCeiling({
    items: 1000,
    concurrency: 10,
    floor: { seconds: 10, requests: 1000 },
    run: { requests: 1100, faults: { hang: 10, 429: 50, 500: 20, malformed: 10 } },
    timeoutMs: 2000,
    retryAfterMs: 50,
  });
  assert.equal(ceiling.callSeconds, 0.1);
  assert.ok(Math.abs(ceiling.slotSeconds - 131.5) < 1e-9);
  assert.ok(Math.abs(ceiling.seconds - 13.15) < 1e-9);
  assert.ok(Math.abs(ceiling.rate - 1000 / 13.15) < 1e-9);
});

test('no faults: the ceiling is the fault-free rate', () => {
  const ceiling = faultCeiling({
    items: 500,
    concurrency: 8,
    floor: { seconds: 2, requests: 500 },
    run: { requests: 500, faults: {} },
    timeoutMs: 2000,
    retryAfterMs: 50,
  });
  assert.ok(Math.abs(ceiling.rate - 250) < 1e-9);
});

test('a fault-free run without requests is refused with the reason', () => {
  assert.throws(
    () =>
      faultCeiling({
        items: 1,
        concurrency: 1,
        floor: { seconds: 1, requests: 0 },
        run: { requests: 1, faults: {} },
        timeoutMs: 1,
        retryAfterMs: 0,
      }),
    /fault-free run has no requests/,
  );
});

test('with hedging, a hang a hedge answered holds its slot for the hedge delay and one call', () => {
  // As the first test, with 6 of the 10 hangs answered by a hedge sent after 80 ms (the 1,100
  // requests include the hedges): 1,090 x 0.1 + 4 x 2 + 6 x (0.08 + 0.1) + 50 x 0.05
  // = 109 + 8 + 1.08 + 2.5 = 120.58 slot-seconds, 12.058 s at C=10.
  const ceiling = faultCeiling({
    items: 1000,
    concurrency: 10,
    floor: { seconds: 10, requests: 1000 },
    run: { requests: 1100, faults: { hang: 10, 429: 50 } },
    timeoutMs: 2000,
    retryAfterMs: 50,
    hedge: { rescued: 6, afterMs: 80 },
  });
  assert.ok(Math.abs(ceiling.slotSeconds - 120.58) < 1e-9);
  assert.ok(Math.abs(ceiling.seconds - 12.058) < 1e-9);
  // More hedges won than hangs (slow calls hedged too): only the hangs count as rescued.
  const capped = faultCeiling({
    items: 1000,
    concurrency: 10,
    floor: { seconds: 10, requests: 1000 },
    run: { requests: 1100, faults: { hang: 10, 429: 50 } },
    timeoutMs: 2000,
    retryAfterMs: 50,
    hedge: { rescued: 25, afterMs: 80 },
  });
  assert.ok(Math.abs(capped.slotSeconds - (109 + 10 * 0.18 + 2.5)) < 1e-9);
});

test('the schedule ceiling, against a hand count', () => {
  // C=2, a call 0.1 s, timeout 1 s, retry-after 0.05 s; in slot order: ok, hang, ok, 429, ok, ok.
  // Slot A: ok 0-0.1; slot B: hang 0-1; A: ok 0.1-0.2, 429 0.2-0.35, ok 0.35-0.45, ok 0.45-0.55.
  // The run cannot end before the hang's 1 s (the sum: 1.55 slot-seconds / 2 = 0.775 s).
  const base = { items: 6, concurrency: 2, callSeconds: 0.1, timeoutMs: 1000, retryAfterMs: 50 };
  const first = scheduleCeiling({ ...base, kinds: ['ok', 'hang', 'ok', '429', 'ok', 'ok'] });
  assert.ok(Math.abs(first.seconds - 1) < 1e-9);
  // The hang last: ok 0-0.1 A, ok 0-0.1 B, 429 0.1-0.25 A, ok 0.1-0.2 B, ok 0.2-0.3 B; A is free
  // first (0.25): the hang runs 0.25-1.25.
  const last = scheduleCeiling({ ...base, kinds: ['ok', 'ok', '429', 'ok', 'ok', 'hang'] });
  assert.ok(Math.abs(last.seconds - 1.25) < 1e-9);
  assert.ok(Math.abs(last.rate - 6 / 1.25) < 1e-9);
  // With a hedge after 0.2 s, an aborted (hung) attempt holds 0.2 + 0.1 s: ok 0-0.1 A,
  // aborted 0-0.3 B, ok 0.1-0.2 A, ok 0.2-0.3 A; end 0.3.
  const hedged = scheduleCeiling({
    ...base,
    kinds: ['ok', 'aborted', 'ok', 'ok'],
    hedge: { afterMs: 200 },
  });
  assert.ok(Math.abs(hedged.seconds - 0.3) < 1e-9);
});
