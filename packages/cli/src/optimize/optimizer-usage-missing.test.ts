import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { askOptimizer } from './optimizer-client.js';

// A priced optimizer endpoint whose answer reports no usage spent an unknown amount: it was
// counted as 0 tokens, so $0, and --max-usd never stopped the run.
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const withUsage = request.url?.includes('/usage/') === true;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        choices: [{ message: { content: '{"edits":[]}' } }],
        ...(withUsage ? { usage: { prompt_tokens: 1000, completion_tokens: 500 } } : {}),
      }),
    );
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));
const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const price = { input: 2, output: 8 };

it('gives a priced answer without usage an unknown cost, not $0', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-optimizer-usage-'));
  const messages = [{ role: 'user', content: 'improve this prompt' }];
  const endpoint = { provider: 'openai' as const, model: 'gpt-4o-mini', apiKey: 'key', price };
  const missing = await askOptimizer(
    { ...endpoint, baseUrl: `${root}/none/v1` },
    messages,
    cacheDir,
  );
  expect(missing.costUsd).toBeNull();
  const reported = await askOptimizer(
    { ...endpoint, baseUrl: `${root}/usage/v1` },
    messages,
    cacheDir,
  );
  // By hand: 1000 * $2 / 1M + 500 * $8 / 1M = $0.002 + $0.004.
  expect(reported.costUsd).toBeCloseTo(0.006, 12);
});
