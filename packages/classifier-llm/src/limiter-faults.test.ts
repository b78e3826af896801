import { afterAll, describe, expect, it } from 'vitest';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { RequestLimiter } from './request-limiter.js';
import { startTestServer } from './testing/index.js';

process.env.FAULTS_TEST_KEY = 'faults-key';
const servers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

describe('RequestLimiter under the fault mix of issue 28', () => {
  it('counts hung calls in flight, answers every call, and never halves for noise', async () => {
    const server = await startTestServer({
      latencyMs: 2,
      retryAfterSeconds: 0.005,
      seed: 11,
      faults: { '429': 0.05, '500': 0.02, hang: 0.02 },
    });
    servers.push(server);
    const http = createOpenAiProvider({
      baseUrl: server.url,
      apiKeyEnv: 'FAULTS_TEST_KEY',
      // Well above an answer's time on a busy machine: with 150 ms, stalls of this process (its
      // test server's too) timed ordinary answers out, each one more request (518 for 454).
      timeoutMs: 1000,
    });
    // Calls in flight as the client counts them: from sending to the answer, the error or the
    // timeout (the server may see one more for a moment: a timed-out call's closed socket).
    let inFlight = 0;
    let most = 0;
    const provider: typeof http = {
      name: http.name,
      complete: async (request, callSignal) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await http.complete(request, callSignal);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const limiter = new RequestLimiter({ maxConcurrency: 8 });
    const policy = { maxRetries: 10, baseDelayMs: 5, maxDelayMs: 50 };
    const signal = new AbortController().signal;
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, index) =>
        callModel({
          provider,
          limiter,
          policy,
          signal,
          request: {
            model: 'faults',
            messages: [{ role: 'user', content: `message ${index} Labels: spam, ham` }],
            temperature: 0,
            maxTokens: 8,
            logprobs: false,
          },
        }),
      ),
    );
    expect(results).toHaveLength(400);
    const faults = server.stats.faults;
    // The seeded mix gave some of each kind.
    expect(faults['429']).toBeGreaterThan(5);
    expect(faults['500']).toBeGreaterThan(2);
    expect(faults.hang).toBeGreaterThan(2);
    // Every fault cost one more request: 400 answers plus one per fault.
    const given = (faults['429'] ?? 0) + (faults['500'] ?? 0) + (faults.hang ?? 0);
    expect(server.stats.requests).toBe(400 + given);
    expect(results.reduce((sum, result) => sum + result.attempts, 0)).toBe(400 + given);
    // A hung call holds its slot until its timeout: never more than 8 calls in flight at once.
    expect(most).toBe(8);
    expect(server.stats.maxInFlight).toBeGreaterThanOrEqual(8);
    // Every 429 was noise: the concurrency was never halved.
    expect(limiter.limited).toEqual({ noise: faults['429'], load: 0 });
    expect(limiter.concurrency).toBe(8);
  });
});
