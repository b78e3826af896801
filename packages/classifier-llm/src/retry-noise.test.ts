import { afterAll, expect, it } from 'vitest';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { defaultRetryPolicy } from './retry-policy.js';
import { startTestServer, type TestServer } from './testing/index.js';

process.env.RETRY_NOISE_TEST_KEY = 'retry-noise-key';
const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** A limiter with a clean history (40 answers, no 429) on a real test server (retry-after 50 ms). */
async function warmed() {
  const server = await startTestServer({ latencyMs: 1, retryAfterSeconds: 0.05 });
  servers.push(server);
  const provider = createOpenAiProvider({ baseUrl: server.url, apiKeyEnv: 'RETRY_NOISE_TEST_KEY' });
  const limiter = new RequestLimiter({ maxConcurrency: 4 });
  const call = (index: number) =>
    callModel({
      provider,
      limiter,
      policy: defaultRetryPolicy,
      signal: new AbortController().signal,
      // The jitter at its highest: retry 1 waits up to 62 ms, retry 2 up to 499 ms (plus retry-after).
      random: () => 0.999,
      request: {
        model: 'noise',
        messages: [{ role: 'user', content: `message ${index} Labels: spam, ham` }],
        temperature: 0,
        maxTokens: 8,
        logprobs: false,
      },
    });
  for (let index = 0; index < 40; index += 1) await call(100 + index);
  return { server, limiter, call };
}

it('retries 429s of noise after retry-after and the first jitter each time, not growing', async () => {
  const { server, limiter, call } = await warmed();
  server.queueFaults('429', '429');
  const started = Date.now();
  const result = await call(0);
  const elapsed = Date.now() - started;
  expect(result.attempts).toBe(3);
  expect(limiter.limited).toEqual({ noise: 2, load: 0 });
  // Two waits of 50 + 62 ms; growing, the second would have been 50 + 499 ms.
  expect(elapsed).toBeGreaterThanOrEqual(224);
  expect(elapsed).toBeLessThan(500);
});

it('still backs off further after each other failure (500s)', async () => {
  const { server, call } = await warmed();
  server.queueFaults('500', '500');
  const started = Date.now();
  expect((await call(0)).attempts).toBe(3);
  // 62 ms, then 499 ms.
  expect(Date.now() - started).toBeGreaterThanOrEqual(561);
});
