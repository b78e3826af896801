import { afterAll, describe, expect, it } from 'vitest';
import type { ChatProvider } from './chat-provider.js';
import { LatencyWindow } from './latency-window.js';
import { callModel, type ModelCallOptions } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer, type TestServer, type TestServerOptions } from './testing/index.js';

process.env.HEDGE_TEST_KEY = 'hedge-key';
const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const policy = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 50 };
const request = (index: number) => ({
  model: 'hedge',
  messages: [{ role: 'user' as const, content: `message ${index} Labels: spam, ham` }],
  temperature: 0,
  maxTokens: 8,
  logprobs: false,
});

/** A real test server, its provider (timeout `timeoutMs`) and a limiter of `concurrency`. */
async function setUp(options: TestServerOptions, timeoutMs: number, concurrency = 2) {
  const server = await startTestServer({ latencyMs: 2, retryAfterSeconds: 0.005, ...options });
  servers.push(server);
  const provider = createOpenAiProvider({
    baseUrl: server.url,
    apiKeyEnv: 'HEDGE_TEST_KEY',
    timeoutMs,
  });
  const limiter = new RequestLimiter({ maxConcurrency: concurrency });
  const call = (index: number, extra: Partial<ModelCallOptions> = {}) =>
    callModel({
      provider,
      limiter,
      policy,
      signal: new AbortController().signal,
      request: request(index),
      ...extra,
    });
  return { server, provider, limiter, call };
}

/** Waits until the server has no request in flight (a hang ends only when its socket closes). */
async function serverIdle(server: TestServer, withinMs = 1000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (server.inFlight > 0 && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 5));
  return server.inFlight === 0;
}

describe('hedged calls (hedge_after_ms) against the real test server', () => {
  // The hedge tests below hedge after 300 ms with a 5,000 ms timeout: a hedge answers long before
  // another would be sent, and long before the timeout, even when a busy machine stalls this
  // process and its test server (with 50 and 2,000 ms, a stall sent a second hedge, or took the
  // call past the 1,000 ms bound: 1,356 ms).
  it('answers a hung call by its hedge in far less than the timeout, and closes the hung socket', async () => {
    const { server, limiter, call } = await setUp({}, 5000);
    server.queueFaults('hang');
    const started = Date.now();
    const result = await call(0, { hedgeAfterMs: 300 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(3000); // the timeout is 5,000 ms
    expect(result).toMatchObject({ attempts: 1, hedges: 1 });
    expect(server.stats.requests).toBe(2);
    expect(server.stats.faults).toEqual({ hang: 1 });
    // The hung request ends at the server only when its socket closes: the loser was aborted.
    expect(await serverIdle(server)).toBe(true);
    expect(limiter.hedging).toEqual({ sent: 1, won: 1, aborted: 1 });
  });

  it('hedges once more when the hedge hangs too, and closes both hung sockets', async () => {
    const { server, limiter, call } = await setUp({}, 5000, 3);
    server.queueFaults('hang', 'hang');
    const started = Date.now();
    const result = await call(0, { hedgeAfterMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ attempts: 1, hedges: 2 });
    expect(server.stats.requests).toBe(3);
    expect(await serverIdle(server)).toBe(true);
    expect(limiter.hedging).toEqual({ sent: 2, won: 1, aborted: 2 });
  });

  it('with client: sdk too, the hung attempt is aborted and its connection closed', async () => {
    const { server } = await setUp({}, 5000);
    const sdk = createOpenAiProvider({
      baseUrl: server.url,
      apiKeyEnv: 'HEDGE_TEST_KEY',
      client: 'sdk',
      timeoutMs: 5000,
    });
    const limiter = new RequestLimiter({ maxConcurrency: 2 });
    server.queueFaults('hang');
    const started = Date.now();
    const result = await callModel({
      provider: sdk,
      limiter,
      policy,
      signal: new AbortController().signal,
      request: request(0),
      hedgeAfterMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ attempts: 1, hedges: 1 });
    expect(await serverIdle(server)).toBe(true);
    expect(limiter.hedging).toEqual({ sent: 1, won: 1, aborted: 1 });
  });

  it('aborts the hedge when the first attempt answers first', async () => {
    // 600 ms of latency: the hedge (after 20 ms) reaches the server long before the first answer
    // (with 150 ms, a stall of this process let the answer come first: the hedge, aborted before
    // it was sent, never reached the server).
    const { server, limiter, call } = await setUp({ latencyMs: 600 }, 2000);
    const result = await call(0, { hedgeAfterMs: 20 });
    expect(result).toMatchObject({ attempts: 1, hedges: 1 });
    expect(server.stats.requests).toBe(2);
    expect(limiter.hedging).toEqual({ sent: 1, won: 0, aborted: 1 });
  });

  it('is off by default: a hung call waits for its timeout and is retried, no hedge sent', async () => {
    // 1,000 ms: with 300 ms, a stall of this process timed the retry out too (3 attempts).
    const { server, limiter, call } = await setUp({}, 1000);
    server.queueFaults('hang');
    const started = Date.now();
    const result = await call(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result).toMatchObject({ attempts: 2, hedges: 0 });
    expect(server.stats.requests).toBe(2); // the hung request and its retry
    expect(limiter.hedging).toEqual({ sent: 0, won: 0, aborted: 0 });
  });

  it('never has more than max_concurrency requests in flight at the server', async () => {
    const { server, limiter, call } = await setUp({ seed: 3, faults: { hang: 0.05 } }, 1000, 4);
    const results = await Promise.all(
      Array.from({ length: 160 }, (_, index) => call(index, { hedgeAfterMs: 'auto' })),
    );
    const hangs = server.stats.faults.hang ?? 0;
    expect(hangs).toBeGreaterThan(3);
    const hedges = results.reduce((sum, result) => sum + result.hedges, 0);
    const attempts = results.reduce((sum, result) => sum + result.attempts, 0);
    expect(hedges).toBe(limiter.hedging.sent);
    expect(hedges).toBeGreaterThan(0);
    // Every request the server saw is an attempt or a hedge; a request aborted at once (the other
    // attempt answered just as it went out) may never have reached it.
    expect(server.stats.requests).toBeLessThanOrEqual(attempts + hedges);
    expect(server.stats.requests).toBeGreaterThanOrEqual(
      attempts + hedges - limiter.hedging.aborted,
    );
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(server.stats.maxInFlight).toBe(4);
    expect(await serverIdle(server)).toBe(true);
  });

  it('sends no hedge once the run is draining, nor after the call was aborted', async () => {
    const { server, limiter, call } = await setUp({}, 300);
    server.queueFaults('hang');
    const drain = new AbortController();
    setTimeout(() => drain.abort(), 10);
    await expect(call(0, { hedgeAfterMs: 50, drain: drain.signal })).rejects.toMatchObject({
      code: 'not_started',
    });
    expect(server.stats.requests).toBe(1); // the hung call; neither a hedge nor a retry
    server.queueFaults('hang');
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('stopped')), 10);
    await expect(call(1, { hedgeAfterMs: 50, signal: stop.signal })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.stats.requests).toBe(2);
    expect(limiter.hedging.sent).toBe(0);
    expect(await serverIdle(server)).toBe(true);
  });

  it('still retries: a failure with no attempt left in flight is retried after back-off', async () => {
    // A timeout far above the hedges' path (30 ms, a 500, 5 ms of back-off): with 300 ms, a
    // process stalled by a busy machine timed the hung attempt out first (410 ms, a retry).
    const { server, limiter, call } = await setUp({}, 2000);
    // The first attempt hangs, its hedge gets a 500 (the hung one stays in flight): after the
    // back-off, a second hedge answers.
    server.queueFaults('hang', '500');
    const second = await call(0, { hedgeAfterMs: 30 });
    expect(second).toMatchObject({ attempts: 1, hedges: 2 });
    expect(server.stats.requests).toBe(3);
    expect(limiter.hedging).toEqual({ sent: 2, won: 1, aborted: 1 });
    // Both hedges get a 500 (error answers, not billed work): a third goes after the back-off and
    // answers long before the hung one's timeout (2,000 ms), which is aborted.
    server.queueFaults('hang', '500', '500');
    const started = Date.now();
    const result = await call(2, { hedgeAfterMs: 30 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ attempts: 1, hedges: 3 });
    expect(server.stats.requests).toBe(3 + 4);
    expect(limiter.hedging).toEqual({ sent: 5, won: 2, aborted: 2 });
    // A 500 before the hedge delay: retried at once, no hedge.
    server.queueFaults('500');
    expect(await call(1, { hedgeAfterMs: 1000 })).toMatchObject({ attempts: 2, hedges: 0 });
  });

  it('with auto, waits for 16 successes, then hedges after 4x their 90th percentile', async () => {
    // A 5,000 ms timeout: a busy machine's stalls of this process stretch the percentile (hedged
    // at 1,022 ms against a 1,000 ms bound before).
    const { server, limiter, call } = await setUp({}, 5000);
    // Before 16 successes there is no percentile: no hedge yet.
    expect(limiter.hedgeAfterMs('auto')).toBeUndefined();
    for (let index = 0; index < 16; index += 1) await call(100 + index);
    server.resetStats();
    const after = limiter.hedgeAfterMs('auto')!;
    expect(after).toBeGreaterThanOrEqual(20);
    server.queueFaults('hang');
    const started = Date.now();
    const result = await call(0, { hedgeAfterMs: 'auto' });
    const elapsed = Date.now() - started;
    // Hedged after its delay, never retried (a hedge not answered within the delay, as in a
    // stall, is hedged once more: one or two hedges).
    expect(result.attempts).toBe(1);
    expect(result.hedges).toBeGreaterThanOrEqual(1);
    expect(result.hedges).toBeLessThanOrEqual(2);
    expect(elapsed).toBeGreaterThanOrEqual(after);
    expect(elapsed).toBeLessThan(3000); // the timeout is 5,000 ms
  });
});

it('with auto, hedges a call sent before any answer once 16 others have answered', async () => {
  // A 5,000 ms timeout: auto's delay is 4x the answers' 90th percentile, which a busy machine's
  // stalls of this process stretch (hedged at 1,629 ms against a 1,000 ms bound before).
  const { server, call } = await setUp({}, 5000, 4);
  server.queueFaults('hang');
  const started = Date.now();
  const hung = call(0, { hedgeAfterMs: 'auto' }).then((result) => ({
    ...result,
    ms: Date.now() - started,
  }));
  await Promise.all(Array.from({ length: 24 }, (_, index) => call(1 + index)));
  const result = await hung;
  // Hedged, never retried. (A hedge not answered within auto's delay, 20 ms here, as when a busy
  // machine stalls this process, is hedged once more: one or two hedges.)
  expect(result.attempts).toBe(1);
  expect(result.hedges).toBeGreaterThanOrEqual(1);
  expect(result.hedges).toBeLessThanOrEqual(2);
  expect(result.ms).toBeLessThan(3000); // the timeout is 5,000 ms
  expect(server.stats.faults).toEqual({ hang: 1 });
});

describe('hedging limits', () => {
  it('sends at most 10 hedges in reserve, then one per ten requests sent', async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 1 });
    for (let index = 0; index < 10; index += 1) expect(limiter.takeHedge()).toBe(true);
    expect(limiter.takeHedge()).toBe(false);
    expect(limiter.hedgeAfterMs(50)).toBeUndefined();
    for (let index = 0; index < 10; index += 1) await limiter.run(1, async () => undefined);
    expect(limiter.hedgeAfterMs(50)).toBe(50);
    expect(limiter.takeHedge()).toBe(true);
    expect(limiter.takeHedge()).toBe(false);
  });

  it('takes the 90th percentile (nearest rank) of the last 64 latencies', () => {
    const window = new LatencyWindow();
    for (let value = 1; value <= 15; value += 1) window.add(value);
    expect(window.percentile90()).toBeUndefined();
    window.add(16);
    // 16 values 1..16: rank ceil(16 x 0.9) = 15.
    expect(window.percentile90()).toBe(15);
    // 100 values 1..100: the last 64 are 37..100; rank ceil(64 x 0.9) = 58, the value 94.
    for (let value = 17; value <= 100; value += 1) window.add(value);
    expect(window.percentile90()).toBe(94);
  });

  it('a waiting request whose signal aborts leaves the line unsent', async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 1 });
    let release: () => void = () => {};
    const holding = limiter.run(1, () => new Promise<void>((resolve) => (release = resolve)));
    const stop = new AbortController();
    let ran = false;
    const waiting = limiter.run(
      1,
      async () => {
        ran = true;
      },
      { signal: stop.signal },
    );
    stop.abort(new Error('withdrawn'));
    await expect(waiting).rejects.toThrow('withdrawn');
    release();
    await holding;
    // The slot is free again: the next request runs at once.
    await limiter.run(1, async () => undefined);
    expect(ran).toBe(false);
  });

  it('keeps a provider wrapper working: the hedge goes through the same provider', async () => {
    const { server } = await setUp({}, 2000);
    const http = createOpenAiProvider({ baseUrl: server.url, apiKeyEnv: 'HEDGE_TEST_KEY' });
    let calls = 0;
    const counted: ChatProvider = {
      name: http.name,
      complete: (chatRequest, signal) => {
        calls += 1;
        return http.complete(chatRequest, signal);
      },
    };
    server.queueFaults('hang');
    const limiter = new RequestLimiter({ maxConcurrency: 2 });
    const result = await callModel({
      provider: counted,
      limiter,
      policy,
      signal: new AbortController().signal,
      request: request(0),
      hedgeAfterMs: 30,
    });
    expect(result.hedges).toBe(1);
    expect(calls).toBe(2);
    expect(await serverIdle(server)).toBe(true);
  });
});
