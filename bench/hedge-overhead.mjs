// The client CPU of callModel itself, with and without hedge_after_ms (issue 28, the faults row):
// a provider that answers at once (no HTTP, so only the call's own work is measured), N calls
// through one limiter at C, twice per mode (the first warms up), CPU microseconds per call.
// Usage: taskset -c 0 node bench/hedge-overhead.mjs [calls] [C]   (after building classifier-llm)
import { loadavg } from 'node:os';
import { callModel, RequestLimiter } from '@plexus/classifier-llm';

const calls = Number(process.argv[2] ?? 200_000);
const concurrency = Number(process.argv[3] ?? 64);
const provider = {
  name: 'instant',
  complete: async () => ({ content: 'ham', inputTokens: 1, outputTokens: 1, cachedTokens: 0 }),
};
const request = {
  model: 'instant',
  messages: [{ role: 'user', content: 'hello' }],
  temperature: 0,
  maxTokens: 8,
  logprobs: false,
};
const policy = { maxRetries: 4, baseDelayMs: 250, maxDelayMs: 20_000 };
const signal = new AbortController().signal;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

/** CPU microseconds per call of `calls` calls, `concurrency` at a time, with `hedgeAfterMs`. */
async function measure(hedgeAfterMs) {
  const limiter = new RequestLimiter({ maxConcurrency: concurrency });
  const worker = async (count) => {
    for (let index = 0; index < count; index += 1)
      await callModel({ provider, limiter, request, policy, signal, hedgeAfterMs });
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, () => worker(calls / concurrency)));
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / calls;
}

console.log(`${calls} calls at C=${concurrency}; load average ${load()}`);
console.log('| hedge_after_ms | CPU us per call (warm-up) | CPU us per call | load average |');
console.log('| --- | ---: | ---: | --- |');
for (const mode of [undefined, 'auto', undefined, 'auto']) {
  const warm = await measure(mode);
  const measured = await measure(mode);
  console.log(`| ${mode ?? 'off'} | ${warm.toFixed(2)} | ${measured.toFixed(2)} | ${load()} |`);
}
