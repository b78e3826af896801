// A call that gives up still sent its requests: the item's error result counts them, as a call
// that succeeds does: the requests the server saw are `llm_calls + retries` either way (a call
// that gave up after 3 requests counted 3 calls and 2 retries: 5).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ seed: 3, retryAfterSeconds: 0.01 });
afterAll(() => server.close());
process.env.PLEXUS_FAILED_CALL_KEY = 'failed-call-key';

async function scoreOne(settings: Record<string, unknown>) {
  const score = {
    name: 'S',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'test-model',
    base_url: server.url,
    api_key_env: 'PLEXUS_FAILED_CALL_KEY',
    prompt: 'Is this spam?\n{{ text }}',
    ...settings,
  };
  const card = await parseScorecard(`name: T\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: '/tmp/failed-call.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-failed-call-')),
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: 'win money [[spam]]', metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!;
}

it('counts every request of a call that gave up: calls and retries as the server saw them', async () => {
  // A call answered after two failures: 3 requests, 1 call and 2 retries.
  server.resetStats();
  server.queueFaults('500', '500');
  const answered = await scoreOne({ max_retries: 2 });
  expect(answered.status).toBe('ok');
  expect(server.stats.requests).toBe(3);
  expect(answered.usage).toMatchObject({ calls: 1, retries: 2 });
  // A call that gave up after three: the same 3 requests, counted the same way.
  server.resetStats();
  server.queueFaults('500', '500', '500');
  const output = await scoreOne({ max_retries: 2 });
  expect(output.status).toBe('error');
  expect(server.stats.requests).toBe(3);
  expect(output.usage).toMatchObject({ calls: 1, retries: 2, inputTokens: 0, outputTokens: 0 });
  // No retry allowed: one request, none retried.
  server.resetStats();
  server.queueFaults('500');
  const once = await scoreOne({ max_retries: 0 });
  expect(once.status).toBe('error');
  expect(server.stats.requests).toBe(1);
  expect(once.usage).toMatchObject({ calls: 1, retries: 0 });
});
