import { afterAll, expect, it } from 'vitest';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer, type TestServer } from './testing/index.js';

process.env.HEDGE_STALL_KEY = 'stall-key';
const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('hedges a hung call sent during a stall once the latencies are back, not at its timeout', async () => {
  const server = await startTestServer({ latencyMs: 2 });
  servers.push(server);
  const provider = createOpenAiProvider({
    baseUrl: server.url,
    apiKeyEnv: 'HEDGE_STALL_KEY',
    timeoutMs: 2000,
  });
  const limiter = new RequestLimiter({ maxConcurrency: 64 });
  // A stall: 64 calls answered after 600 ms, so auto's delay (4x their 90th percentile, about
  // 2,400 ms: a timer may fire a millisecond early) passes the 2,000 ms timeout.
  await Promise.all(Array.from({ length: 64 }, () => limiter.run(1, () => wait(600))));
  expect(limiter.hedgeAfterMs('auto')).toBeGreaterThan(2000);
  server.queueFaults('hang');
  const started = Date.now();
  const hung = callModel({
    provider,
    limiter,
    policy: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50 },
    signal: new AbortController().signal,
    request: {
      model: 'stall',
      messages: [{ role: 'user', content: 'message 0 Labels: spam, ham' }],
      temperature: 0,
      maxTokens: 8,
      logprobs: false,
    },
    hedgeAfterMs: 'auto',
  });
  // The latencies are back: 64 answers at once, a delay of 20 ms.
  await wait(20);
  await Promise.all(Array.from({ length: 64 }, () => limiter.run(1, async () => undefined)));
  expect(limiter.hedgeAfterMs('auto')).toBe(20);
  const result = await hung;
  // The delay is asked again every 250 ms: hedged within about that, not retried after 2,000 ms.
  // (A hedge not answered within the 20 ms delay, as when a busy machine stalls this process, is
  // hedged once more: one or two hedges, never a retry.)
  expect(result.attempts).toBe(1);
  expect(result.hedges).toBeGreaterThanOrEqual(1);
  expect(result.hedges).toBeLessThanOrEqual(2);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(server.stats.faults).toEqual({ hang: 1 });
});

it('sends the next hedge right after a failed hedge’s back-off when the first attempt hangs', async () => {
  const server = await startTestServer({ latencyMs: 2, retryAfterSeconds: 0.05 });
  servers.push(server);
  const provider = createOpenAiProvider({
    baseUrl: server.url,
    apiKeyEnv: 'HEDGE_STALL_KEY',
    timeoutMs: 4000,
  });
  const limiter = new RequestLimiter({ maxConcurrency: 4 });
  server.queueFaults('hang', '429');
  const started = Date.now();
  const result = await callModel({
    provider,
    limiter,
    policy: { maxRetries: 2, baseDelayMs: 4, maxDelayMs: 50 },
    signal: new AbortController().signal,
    request: {
      model: 'stall',
      messages: [{ role: 'user', content: 'message 1 Labels: spam, ham' }],
      temperature: 0,
      maxTokens: 8,
      logprobs: false,
    },
    hedgeAfterMs: 1000,
  });
  const elapsed = Date.now() - started;
  // Hedge 1 after 1,000 ms gets a 429; hedge 2 after its back-off (50 ms retry-after, up to 1 ms
  // more): about 1,055 ms. Before, it waited 1,000 ms more (about 2,055 ms). (With 300 ms, 355
  // against 655 and a bound at 550, a busy machine's stalls of this process crossed it: 682-986.)
  expect(result).toMatchObject({ attempts: 1, hedges: 2 });
  expect(elapsed).toBeGreaterThanOrEqual(1050);
  expect(elapsed).toBeLessThan(1600);
});
