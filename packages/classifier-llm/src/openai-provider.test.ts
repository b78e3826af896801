import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from './chat-provider.js';
import { labelLogprob } from './label-logprob.js';
import { createOpenAiProvider } from './openai-provider.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ seed: 3, retryAfterSeconds: 2 });
// A server that answers 200 with a body that is not JSON (a proxy's error page).
const html = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html' });
  response.end('<html>bad gateway</html>');
});
await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
const htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}/v1`;
afterAll(async () => {
  await server.close();
  html.close();
});

const request = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'test-model',
  messages: [{ role: 'user', content: text }],
  temperature: 0,
  maxTokens: 50,
  logprobs: false,
  labels: ['spam', 'ham'],
  ...extra,
});
const never = new AbortController().signal;

describe.each(['http', 'sdk'] as const)('the openai provider with client %s', (client) => {
  const provider = (options: { baseUrl?: string; timeoutMs?: number } = {}) =>
    createOpenAiProvider({ baseUrl: server.url, client, apiKeyEnv: 'PLEXUS_TEST_KEY', ...options });

  it('sends the structured-output request and reads content, usage and log-probabilities', async () => {
    const answer = await provider().complete(request('[[ham]] hello', { logprobs: true }), never);
    expect(JSON.parse(answer.content)).toMatchObject({ label: 'ham' });
    expect(answer.inputTokens).toBeGreaterThan(0);
    expect(answer.outputTokens).toBeGreaterThan(0);
    // Every token, spelling the answer; the label's (0.9 from the server) is found from them.
    expect(answer.tokenLogprobs!.map((token) => token.token).join('')).toBe(answer.content);
    expect(labelLogprob(answer, 'ham')).toBeCloseTo(Math.log(0.9), 12);
  });

  it('reports statuses with retry-after, and a 401 as a key problem that stops the run', async () => {
    server.queueFaults('429', '500', '401');
    await expect(provider().complete(request('x'), never)).rejects.toMatchObject({
      status: 429,
      isRetryable: true,
      retryAfterMs: 2000,
      message: expect.stringMatching(/^the endpoint answered 429 \(429 /),
    });
    await expect(provider().complete(request('x'), never)).rejects.toMatchObject({
      status: 500,
      isRetryable: true,
    });
    await expect(provider().complete(request('x'), never)).rejects.toMatchObject({
      status: 401,
      code: 'auth',
      stopsRun: true,
      message: expect.stringMatching(/401: check your API key/),
    });
  });

  it('reports resets, cut answers, timeouts and aborts as retryable or not', async () => {
    server.queueFaults('reset', 'cut', 'hang', 'hang');
    await expect(provider().complete(request('x'), never)).rejects.toMatchObject({
      code: 'connection',
      isRetryable: true,
    });
    await expect(provider().complete(request('x'), never)).rejects.toMatchObject({
      isRetryable: true,
    });
    await expect(provider({ timeoutMs: 200 }).complete(request('x'), never)).rejects.toMatchObject({
      code: 'timeout',
      isRetryable: true,
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await expect(provider().complete(request('x'), abort.signal)).rejects.toMatchObject({
      code: 'aborted',
      isRetryable: false,
    });
  });

  it('names the endpoint problem when nothing listens or the answer is not JSON', async () => {
    await expect(
      provider({ baseUrl: 'http://127.0.0.1:9/v1' }).complete(request('x'), never),
    ).rejects.toMatchObject({ code: 'connection', message: /cannot reach the endpoint/ });
    await expect(
      provider({ baseUrl: htmlUrl }).complete(request('x'), never),
    ).rejects.toMatchObject({ isRetryable: true });
  });
});

describe('the http client', () => {
  it('keeps connections alive and uses one abort listener for all calls sharing a signal', async () => {
    const provider = createOpenAiProvider({ baseUrl: server.url });
    const shared = new AbortController();
    let listeners = 0;
    const add = shared.signal.addEventListener.bind(shared.signal);
    shared.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners += 1;
      add(...args);
    }) as typeof add;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        provider.complete(request(`[[spam]] ${index}`), shared.signal),
      ),
    );
    expect(answers.every((answer) => JSON.parse(answer.content).label === 'spam')).toBe(true);
    expect(listeners).toBe(1);
  });

  it('says what came back when the body is not JSON', async () => {
    await expect(
      createOpenAiProvider({ baseUrl: htmlUrl }).complete(request('x'), never),
    ).rejects.toThrow(/answered with a body that is not a JSON object: <html>bad gateway/);
  });
});
