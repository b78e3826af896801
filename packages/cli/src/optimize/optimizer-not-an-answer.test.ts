import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { askOptimizer } from './optimizer-client.js';

// A proxy in front of the optimizer that answers 200 with a page or an error object of its own.
const bodies: Record<string, string> = {
  '/html/v1/chat/completions': '<html><body>Sign in to continue</body></html>',
  '/error/v1/chat/completions': '{"error": {"message": "model overloaded"}}',
};
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(bodies[request.url ?? ''] ?? '{}');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));
const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

it('says a 200 that is no chat answer is none, with what came back', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-optimizer-answer-'));
  const messages = [{ role: 'user', content: 'improve this prompt' }];
  const endpoint = { provider: 'openai' as const, model: 'gpt-4o-mini', apiKey: 'key' };
  // Before: "Unexpected token '<', "<html><bod"... is not valid JSON", naming no optimizer.
  await expect(
    askOptimizer({ ...endpoint, baseUrl: `${root}/html/v1` }, messages, cacheDir),
  ).rejects.toThrow('optimizer model: HTTP 200 with a body that is not JSON: <html><body>Sign in');
  // Before: content "", then "the optimizer answered no JSON" in the changelog, paid as a round.
  await expect(
    askOptimizer({ ...endpoint, baseUrl: `${root}/error/v1` }, messages, cacheDir),
  ).rejects.toThrow(
    'optimizer model: HTTP 200 without choices: {"error": {"message": "model overloaded"}}',
  );
});
