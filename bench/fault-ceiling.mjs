// The ceiling of a run with faults at C in flight (bench/llm-faults.mjs), from the run's own counts.
// A slot is busy for every request the server answered, as long as a call of the fault-free run
// held one (C x its seconds / its requests: latency plus the client's own time per call); for the
// whole timeout for every hang (a call in flight until it times out, as max_concurrency promises);
// and for retry-after after every 429 (the refused request's slot rests that long). No run can
// finish before those slot-seconds are spent C at a time. What the ceiling leaves out, the run
// lost elsewhere: back-off sleeps, halvings of the concurrency, the tail of the last hangs.
// With hedging (hedge_after_ms), `hedge` gives the hangs a hedge answered (`rescued`, at most the
// hangs) and the mean hedge delay: such a hang holds its slot until its hedge answers (the delay
// plus one call) instead of the whole timeout; the hedges themselves are among the requests.

/**
 * @param {{ items: number, concurrency: number, floor: { seconds: number, requests: number },
 *   run: { requests: number, faults: Record<string, number> }, timeoutMs: number, retryAfterMs: number,
 *   hedge?: { rescued: number, afterMs: number } }} counts
 * @returns {{ rate: number, seconds: number, slotSeconds: number, callSeconds: number }}
 */
export function faultCeiling({ items, concurrency, floor, run, timeoutMs, retryAfterMs, hedge }) {
  if (!(floor.requests > 0 && floor.seconds > 0))
    throw new Error('fault ceiling: the fault-free run has no requests or no time');
  const callSeconds = (concurrency * floor.seconds) / floor.requests;
  const hangs = run.faults.hang ?? 0;
  const limited = run.faults['429'] ?? 0;
  const rescued = Math.min(hangs, hedge?.rescued ?? 0);
  const rescuedSeconds = hedge ? Math.min(timeoutMs, hedge.afterMs) / 1000 + callSeconds : 0;
  const slotSeconds =
    (run.requests - hangs) * callSeconds +
    ((hangs - rescued) * timeoutMs) / 1000 +
    rescued * rescuedSeconds +
    (limited * retryAfterMs) / 1000;
  const seconds = slotSeconds / concurrency;
  return { rate: items / seconds, seconds, slotSeconds, callSeconds };
}

/**
 * The ceiling as a schedule: the run's requests in the order they got their slots (`kinds`, from
 * bench/slot-trace.mjs), each started in the first of C slots to come free and holding it as the
 * sum above counts (a call of the fault-free run; a hang the whole timeout, or with `hedge` the
 * hedge delay plus one call when a hedge answered it and it was aborted; a 429 one call plus
 * retry-after). Never below the sum's time (slot-seconds / C): it also keeps the hangs of the
 * last seconds, whose timeout no other work is left to fill, as a run without hedging must.
 *
 * @param {{ items: number, concurrency: number, callSeconds: number, kinds: string[],
 *   timeoutMs: number, retryAfterMs: number, hedge?: { afterMs: number } }} counts
 * @returns {{ rate: number, seconds: number }}
 */
export function scheduleCeiling({
  items,
  concurrency,
  callSeconds,
  kinds,
  timeoutMs,
  retryAfterMs,
  hedge,
}) {
  const holds = {
    hang: timeoutMs / 1000,
    429: callSeconds + retryAfterMs / 1000,
    aborted: hedge ? Math.min(timeoutMs, hedge.afterMs) / 1000 + callSeconds : callSeconds,
  };
  const free = new Float64Array(concurrency);
  for (const kind of kinds) {
    let slot = 0;
    for (let index = 1; index < concurrency; index += 1) if (free[index] < free[slot]) slot = index;
    free[slot] += holds[kind] ?? callSeconds;
  }
  const seconds = Math.max(...free);
  return { rate: items / seconds, seconds };
}
