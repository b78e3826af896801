import { afterAll, describe, expect, it } from 'vitest';
import { callModel, type ModelCallOptions } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer, type TestServer, type TestServerOptions } from './testing/index.js';

process.env.BACKOFF_TEST_KEY = 'backoff-key';
const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

// Base 400 ms and the jitter at its top: a first retry waits 99 ms (a quarter of the base), a
// second 799 ms, a third 1,599 ms (see backoffMs), plus retry-after (5 ms) after a 429.
const policy = { maxRetries: 4, baseDelayMs: 400, maxDelayMs: 5000 };
const highest = () => 0.999;
const request = (index: number) => ({
  model: 'backoff',
  messages: [{ role: 'user' as const, content: `message ${index} Labels: spam, ham` }],
  temperature: 0,
  maxTokens: 8,
  logprobs: false,
});

/** A real test server (the order of the requests it answered) and calls through one limiter. */
async function setUp(options: TestServerOptions, concurrency = 4, timeoutMs = 2000) {
  const order: string[] = [];
  const server = await startTestServer({
    latencyMs: 2,
    retryAfterSeconds: 0.005,
    decide: ({ text }) => {
      order.push(/message (\d+)/.exec(text)?.[1] ?? '?');
      return 'ham';
    },
    ...options,
  });
  servers.push(server);
  const provider = createOpenAiProvider({
    baseUrl: server.url,
    apiKeyEnv: 'BACKOFF_TEST_KEY',
    timeoutMs,
  });
  const limiter = new RequestLimiter({ maxConcurrency: concurrency });
  const call = async (index: number, extra: Partial<ModelCallOptions> = {}) => {
    const started = Date.now();
    const result = await callModel({
      provider,
      limiter,
      policy,
      random: highest,
      signal: new AbortController().signal,
      request: request(index),
      ...extra,
    });
    return { ...result, ms: Date.now() - started };
  };
  return { server, limiter, call, order };
}

describe('back-off after failures that are noise', () => {
  it('retries failures of mixed kinds as first retries while they are at their usual share', async () => {
    // A 1,000 ms timeout: with 150 ms, a busy machine slowed this process's test server past it,
    // answers timed out too and the back-off grew (5 attempts, 2.0 s, under stalls of 0-150 ms).
    const { server, call } = await setUp({}, 4, 1000);
    server.queueFaults('500', 'hang', '500');
    const result = await call(0);
    expect(result.attempts).toBe(4);
    // 3 x 99 ms and the 1,000 ms timeout (growing, as before: 99 + 799 + 1,599 ms, 3.5 s).
    expect(result.ms).toBeGreaterThanOrEqual(3 * 99 + 1000);
    expect(result.ms).toBeLessThan(2500);
  });

  it("grows it from a lone call's second failure of one kind in a row (an outage is waited out)", async () => {
    const { server, call } = await setUp({});
    server.queueFaults('500', '500', '500', '500');
    const result = await call(0);
    expect(result.attempts).toBe(5);
    // 99 + 99, then 799 and 1,599 ms: 2.6 s of waiting, where four first retries gave up in 0.4 s.
    expect(result.ms).toBeGreaterThanOrEqual(99 + 99 + 799 + 1599);
  });

  it('retries a 429 after a timed-out call as a first retry (a hang is not a rate limit)', async () => {
    // A 1,000 ms timeout (150 ms timed out the answers too on a busy machine) and a base of
    // 1,000 ms, so that a first retry (249 ms) and a grown one (1,998 ms) stay far apart.
    const { server, call } = await setUp({}, 4, 1000);
    server.queueFaults('hang', '429');
    const result = await call(0, { policy: { ...policy, baseDelayMs: 1000 } });
    expect(result.attempts).toBe(3);
    // 1,000 ms timeout + 249 ms, then 5 + 249 ms: 1.5 s (growing, as before: 5 + 1,998 ms after
    // the 429, 3.3 s).
    expect(result.ms).toBeGreaterThanOrEqual(1000 + 249 + 5 + 249);
    expect(result.ms).toBeLessThan(2400);
  });

  it('still grows the back-off on 429s in a row', async () => {
    const { server, call } = await setUp({});
    server.queueFaults('429', '429');
    const result = await call(0);
    expect(result.attempts).toBe(3);
    expect(result.ms).toBeGreaterThanOrEqual(5 + 99 + 5 + 799);
  });

  it('grows it on server failures above their usual share (a failing server)', async () => {
    const { server, limiter, call } = await setUp({});
    // Eight failures among the last answers: 8 or more, and at least a quarter of them.
    for (let index = 0; index < 7; index += 1) limiter.serverFailed();
    expect(limiter.serverFailed()).toBe(true);
    server.queueFaults('500', '500');
    const result = await call(0);
    expect(result.attempts).toBe(3);
    expect(result.ms).toBeGreaterThanOrEqual(99 + 799);
  });

  it('sends a retry ahead of the first attempts waiting for a slot', async () => {
    const { server, call, order } = await setUp({ latencyMs: 30 }, 1);
    server.queueFaults('500');
    // One slot: 0 fails (a 500), 1 takes the slot; 0's retry (no jitter) waits while 1 runs and
    // goes before 2 (it went after 2 before). The answers, in order:
    await Promise.all([0, 1, 2].map((index) => call(index, { random: () => 0 })));
    expect(order).toEqual(['1', '0', '2']);
  });
});
