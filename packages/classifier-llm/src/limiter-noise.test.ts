import { afterAll, describe, expect, it } from 'vitest';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer, type TestServerOptions } from './testing/index.js';

process.env.NOISE_TEST_KEY = 'noise-key';
const servers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** `calls` model calls through one limiter of `ceiling` against a real test server. */
async function callThrough(server: TestServerOptions, ceiling: number, calls: number) {
  const running = await startTestServer({ latencyMs: 2, retryAfterSeconds: 0.005, ...server });
  servers.push(running);
  const provider = createOpenAiProvider({ baseUrl: running.url, apiKeyEnv: 'NOISE_TEST_KEY' });
  const limiter = new RequestLimiter({ maxConcurrency: ceiling });
  const policy = { maxRetries: 10, baseDelayMs: 5, maxDelayMs: 50 };
  const signal = new AbortController().signal;
  const seen: number[] = [];
  await Promise.all(
    Array.from({ length: calls }, async (_, index) => {
      const request = {
        model: 'noise',
        messages: [{ role: 'user' as const, content: `message ${index} Labels: spam, ham` }],
        temperature: 0,
        maxTokens: 8,
        logprobs: false,
      };
      await callModel({ provider, limiter, request, policy, signal });
      seen.push(limiter.concurrency);
    }),
  );
  const answered = running.stats.requests;
  const refused = running.stats.statuses['429'] ?? 0;
  return { limiter, seen, answered, refused, maxInFlight: running.stats.maxInFlight };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe('RequestLimiter against random 429s and a real cap', () => {
  it('keeps concurrency near its ceiling when 5% of answers are 429s not caused by load', async () => {
    const run = await callThrough({ faults: { '429': 0.05 }, seed: 7 }, 16, 800);
    // About 40 random 429s: the old limiter halved on most of them and sat at a few in flight.
    expect(run.refused).toBeGreaterThan(20);
    expect(run.limiter.epoch).toBeLessThanOrEqual(1);
    expect(median(run.seen)).toBeGreaterThanOrEqual(14);
    expect(run.maxInFlight).toBe(16);
  });

  it('still converges under a real cap of 4 in flight, with or without the noise', async () => {
    for (const faults of [undefined, { '429': 0.05 }]) {
      const run = await callThrough({ maxInFlight: 4, faults, seed: 3 }, 16, 400);
      expect(run.limiter.epoch).toBeGreaterThanOrEqual(2);
      // Most calls completed at or near the cap, and refusals stay a minority of requests.
      expect(median(run.seen)).toBeLessThanOrEqual(8);
      expect(run.refused / run.answered).toBeLessThan(0.35);
    }
  });
});
