// Where the limiter slots of a run went (bench/llm-faults.mjs): every request's time in its slot,
// by how it ended, in the order the requests got their slots; and, sampled every 5 ms, the slots
// left free: resting after a 429 taken as noise (kept free for retry-after), free with nothing
// waiting (items asleep in back-off, the tail), or free with requests waiting (a pause).
// It wraps the limiter's `run` and reads its private counters (inFlight, resting, waiting): a
// bench's view, for any build of @plexus/classifier-llm that has them.

/** How a request ended, from its error. */
export function kindOf(error) {
  if (error?.status === 429) return '429';
  if (error?.status >= 500 && error?.status !== 499) return '5xx';
  if (error?.code === 'timeout') return 'hang';
  if (error?.status === 499 || error?.code === 'aborted') return 'aborted';
  return 'other';
}

/** Starts tracing `limiter` (of `concurrency` slots); `stop()` gives the requests and idle slot-seconds. */
export function traceSlots(limiter, concurrency) {
  const requests = [];
  const own = Object.hasOwn(limiter, 'run');
  const run = limiter.run;
  limiter.run = (tokens, task, options) =>
    run.call(
      limiter,
      tokens,
      () => {
        const entry = { kind: 'pending', seconds: 0, at: performance.now() };
        requests.push(entry);
        const settle = (kind) => {
          entry.kind = kind;
          entry.seconds = (performance.now() - entry.at) / 1000;
        };
        return task().then(
          (value) => {
            settle('ok');
            return value;
          },
          (error) => {
            settle(kindOf(error));
            throw error;
          },
        );
      },
      options,
    );
  const idle = { resting: 0, nothingWaiting: 0, waiting: 0 };
  let last = performance.now();
  const sampler = setInterval(() => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    const resting = limiter.resting ?? 0;
    const free = Math.max(0, concurrency - (limiter.inFlight ?? concurrency) - resting);
    idle.resting += resting * seconds;
    if ((limiter.waiting?.length ?? 0) > 0) idle.waiting += free * seconds;
    else idle.nothingWaiting += free * seconds;
  }, 5);
  return {
    stop() {
      clearInterval(sampler);
      if (own) limiter.run = run;
      else delete limiter.run;
      const held = {};
      for (const { kind, seconds } of requests) held[kind] = (held[kind] ?? 0) + seconds;
      return { requests, held, idle };
    },
  };
}
