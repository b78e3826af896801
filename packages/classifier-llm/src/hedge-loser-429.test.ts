// A hedge refused with a 429 while the first attempt is still in flight tells the limiter of one
// rate limit, and is no server failure. Since 429s are told to the limiter before their slot is
// freed, the loser's 429 (already told) fell through to the server-failure branch: every such 429
// counted as a 5xx, which grows the back-off of other calls' server failures. Over the real test
// server, the limiter real, its server-failure count read by wrapping its own method.
import { afterAll, expect, it } from 'vitest';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer } from './testing/openai-test-server.js';

process.env.HEDGE_LOSER_KEY = 'loser-key';
const server = await startTestServer({ latencyMs: 2, retryAfterSeconds: 0.005 });
afterAll(() => server.close());

it("a hedge's 429 beside a hung attempt is one rate limit and no server failure", async () => {
  const provider = createOpenAiProvider({
    baseUrl: server.url,
    apiKeyEnv: 'HEDGE_LOSER_KEY',
    timeoutMs: 2000,
  });
  const limiter = new RequestLimiter({ maxConcurrency: 3 });
  let serverFailures = 0;
  const serverFailed = limiter.serverFailed.bind(limiter);
  limiter.serverFailed = () => {
    serverFailures += 1;
    return serverFailed();
  };
  server.queueFaults('hang', '429'); // the first attempt hangs, its hedge is refused
  const result = await callModel({
    provider,
    limiter,
    policy: { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 50 },
    signal: new AbortController().signal,
    request: {
      model: 'loser',
      messages: [{ role: 'user', content: 'message 0 Labels: spam, ham' }],
      temperature: 0,
      maxTokens: 8,
      logprobs: false,
    },
    hedgeAfterMs: 50,
  });
  expect(result.hedges).toBe(2); // the refused hedge, then the one that answered
  expect(server.stats.faults).toEqual({ hang: 1, '429': 1 });
  expect(limiter.limited.noise + limiter.limited.load).toBe(1);
  expect(serverFailures).toBe(0);
});
