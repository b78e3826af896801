import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { askOptimizer } from './optimizer-client.js';

// `--optimizer-model gpt-5-mini` sent `temperature: 0`, which OpenAI's reasoning models refuse
// with a 400: every round failed. They get no temperature now; other models keep 0.
const bodies: Record<string, unknown>[] = [];
const server = createServer((request, response) => {
  let text = '';
  request.on('data', (chunk) => {
    text += chunk;
  });
  request.on('end', () => {
    const body = JSON.parse(text) as Record<string, unknown>;
    bodies.push(body);
    const refused = String(body.model).startsWith('gpt-5') && body.temperature !== undefined;
    response.writeHead(refused ? 400 : 200, { 'content-type': 'application/json' });
    response.end(
      refused
        ? JSON.stringify({ error: { message: "Unsupported value: 'temperature'" } })
        : JSON.stringify({
            choices: [{ message: { content: '{"edits":[]}' } }],
            usage: { prompt_tokens: 10, completion_tokens: 3 },
          }),
    );
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

it('asks a reasoning model without a temperature, and another model at temperature 0', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-optimizer-reasoning-'));
  const messages = [{ role: 'user', content: 'improve this prompt' }];
  for (const model of ['gpt-5-mini', 'gpt-4o-mini']) {
    const answer = await askOptimizer(
      { provider: 'openai', baseUrl, model, apiKey: 'key' },
      messages,
      cacheDir,
    );
    expect(answer.content).toBe('{"edits":[]}');
  }
  expect(bodies.map((body) => [body.model, body.temperature])).toEqual([
    ['gpt-5-mini', undefined],
    ['gpt-4o-mini', 0],
  ]);
});
