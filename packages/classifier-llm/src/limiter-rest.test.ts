// A 429 taken as noise keeps its slot free for `retry-after` (README: "its slot is kept free that
// long"): the slot was given to the next waiting request before the limiter heard of the 429, so
// that request went out at once, into the same limit. Over the real test server.
import { afterAll, expect, it } from 'vitest';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer } from './testing/openai-test-server.js';

process.env.LIMITER_REST_KEY = 'rest-key';
const server = await startTestServer({ retryAfterSeconds: 0.3 });
afterAll(() => server.close());

const request = (index: number) => ({
  model: 'rest',
  messages: [{ role: 'user' as const, content: `message ${index} Labels: spam, ham` }],
  temperature: 0,
  maxTokens: 8,
  logprobs: false,
});

it('holds the slot of a 429 for its retry-after before the next request waiting for it', async () => {
  const provider = createOpenAiProvider({ baseUrl: server.url, apiKeyEnv: 'LIMITER_REST_KEY' });
  const limiter = new RequestLimiter({ maxConcurrency: 1 });
  const policy = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };
  const signal = new AbortController().signal;
  server.queueFaults('429'); // the first request; one 429 on a fresh limiter is noise
  const started = Date.now();
  const waited = (index: number) =>
    callModel({ provider, limiter, policy, signal, request: request(index) }).then(
      () => Date.now() - started,
    );
  const [first, second] = await Promise.all([waited(0), waited(1)]);
  expect(limiter.limited).toEqual({ noise: 1, load: 0 });
  // The second request waited for the rested slot (300 ms), not sent into the limit at once.
  expect(second).toBeGreaterThanOrEqual(290);
  expect(first).toBeGreaterThanOrEqual(290); // its own retry waited retry-after too
  expect(server.stats.requests).toBe(3);
});
