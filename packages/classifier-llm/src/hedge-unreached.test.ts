// A hedge that never reaches the server is no request: not counted in llm_calls, and its call's
// cost stays known. Through a real proxy in front of the test server that takes the first
// connection and then stops listening, so every later connection (the hedges') is refused.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// The answer comes after 400 ms: a hedge is due after 50.
const server = await startTestServer({ latencyMs: 400 });
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await server.close();
});

/** A proxy to the test server for one connection: it stops listening once that one is made. */
async function oneConnectionProxy(): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const target = new URL(server.url);
  const proxy: Server = createServer((client) => {
    connections += 1;
    proxy.close(); // later connections are refused (ECONNREFUSED)
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(Number(target.port), target.hostname, () => {
      client.pipe(upstream).pipe(client);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1`, connections: () => connections };
}

async function score(baseUrl: string): Promise<ScoreOutputV1> {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-hedge-unreached-'));
  const settings = {
    name: 'Spam',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'gpt-4o-mini',
    base_url: baseUrl,
    api_key_env: 'HOME',
    hedge_after_ms: 50,
    timeout_ms: 5000,
    max_concurrency: 4,
    prompt: 'Is this SMS spam?\n{{ text }}',
  };
  const card = await parseScorecard(`name: H\nscores:\n  - ${JSON.stringify(settings)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: 'are you coming tonight [[label:ham]]', metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'H' },
  });
  return output!;
}

describe('a hedge that never connects', () => {
  it('is no call, and leaves the cost known', async () => {
    const proxy = await oneConnectionProxy();
    server.resetStats();
    const output = await score(proxy.url);
    expect(output).toMatchObject({ status: 'ok', value: 'ham' });
    expect(proxy.connections()).toBe(1);
    // Hand count: the server received one request; so the item says.
    expect(server.stats.requests).toBe(1);
    expect(output.usage).toMatchObject({ calls: 1, retries: 0 });
    expect(output.usage!.costUsd).not.toBeNull();
    expect(output.usage!.tokensUnknown).toBeUndefined();
  });
});
