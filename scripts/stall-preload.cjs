// A busy machine, for tests: preloaded into every Node process (the test's, its in-process test
// servers', each `plexus` it starts), it stalls the event loop for a random 0 to STALL_MS ms every
// STALL_EVERY_MS ms (default 150 and 100: about 40% of the time stalled, as at load 3-4 per core).
// A test that passes alone and fails under it measures the machine: a timeout or a bound too close
// to the time it waits for. Usage (see CONTRIBUTING.md):
//   NODE_OPTIONS="--require $PWD/scripts/stall-preload.cjs" npx vitest run src/x.test.ts
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by hand for one vitest run, never by turbo
const stallMs = Number(process.env.STALL_MS ?? 150);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by hand for one vitest run, never by turbo
const everyMs = Number(process.env.STALL_EVERY_MS ?? 100);
if (stallMs > 0) {
  const timer = setInterval(() => {
    const until = Date.now() + stallMs * Math.random();
    while (Date.now() < until) {
      // busy: the process holds its core and runs nothing else, as when it is not scheduled
    }
  }, everyMs);
  timer.unref();
}
