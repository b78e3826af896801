// A request that never reached a server (nothing listens on the port, a refused TLS handshake) is
// not an LLM call and costs nothing: a run's `llm_calls` and `retries` count the requests its
// servers received (it said "6 LLM calls (4 retried)" for a port nothing listens on), and the error
// names the endpoint and the fix.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine, type RunMetricsFile } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ retryAfterSeconds: 0.001 });

/** A TCP server that closes every connection at once (a TLS handshake never completes). */
let tcpConnections = 0;
const closing: Server = createServer((socket) => {
  tcpConnections += 1;
  socket.destroy();
});
await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
const closingPort = (closing.address() as { port: number }).port;

/** A TCP server that accepts and never answers (a TLS handshake never ends). */
let silentConnections = 0;
const silentSockets: Socket[] = [];
const silent: Server = createServer((socket) => {
  silentConnections += 1;
  silentSockets.push(socket);
});
await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
const silentPort = (silent.address() as { port: number }).port;

/** A port nothing listens on: one that was free a moment ago. */
const probe = createServer();
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const deadPort = (probe.address() as { port: number }).port;
await new Promise<void>((resolve) => probe.close(() => resolve()));

afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => closing.close(() => resolve()));
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

async function runCard(scores: Record<string, unknown>[], items: number) {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-unreached-'));
  const common = { labels: ['spam', 'ham'], model: 'gpt-4o-mini', max_retries: 2 };
  const yaml = `name: Unreached\nscores:\n${scores.map((score) => `  - ${JSON.stringify({ ...common, ...score })}\n`).join('')}`;
  const card = await parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const data = join(folder, 'items.csv');
  const rows = Array.from({ length: items }, (_, index) => `m${index},message ${index} [[ham]]`);
  writeFileSync(data, `id,text\n${rows.join('\n')}\n`);
  const outDir = join(folder, 'run');
  await evaluate({ scorecard: card, data, outDir, cache: false });
  const lines = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  const metrics = JSON.parse(readFileSync(join(outDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
  return { lines, metrics };
}

it('counts no call and no retry for a port nothing listens on; the error names the endpoint and the fix', async () => {
  for (const client of ['http', 'sdk']) {
    const { lines, metrics } = await runCard(
      [
        {
          name: 'Dead',
          class: 'llm/classifier',
          client,
          base_url: `http://127.0.0.1:${deadPort}/v1`,
          prompt: '{{ text }}',
        },
      ],
      3,
    );
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toMatchObject({ status: 'error', llm_calls: 0, retries: 0, cost_usd: 0 });
      expect(line.error!.code).toBe('connection');
      expect(line.error!.message).toContain(
        `cannot reach the endpoint http://127.0.0.1:${deadPort}/v1/chat/completions (connect ECONNREFUSED`,
      );
      expect(line.error!.message).toContain(
        'nothing listens there: start the server, or correct the port in base_url',
      );
    }
    // Before: 3 calls and 6 retries for requests no server received.
    expect(metrics.scores.Dead!.llm_calls).toBe(0);
    expect(metrics.cost).toMatchObject({ llm_calls: 0, retries: 0, usd: 0 });
  }
});

it('counts no call for a Hugging Face endpoint nothing listens on', async () => {
  const { lines } = await runCard(
    [
      {
        name: 'Hf',
        class: 'llm/classifier',
        provider: 'huggingface',
        base_url: `http://127.0.0.1:${deadPort}`,
        prompt: '{{ text }}',
      },
    ],
    2,
  );
  for (const line of lines) {
    expect(line).toMatchObject({ status: 'error', llm_calls: 0, retries: 0 });
    expect(line.error!.message).toContain('nothing listens there');
  }
});

it('counts no call for a refused TLS handshake: the server saw connections, no request', async () => {
  tcpConnections = 0;
  const { lines } = await runCard(
    [
      {
        name: 'Tls',
        class: 'llm/classifier',
        base_url: `https://127.0.0.1:${closingPort}/v1`,
        prompt: '{{ text }}',
      },
    ],
    2,
  );
  // By hand: 2 items, 3 attempts each, each a TCP connection closed before TLS could start.
  expect(tcpConnections).toBe(6);
  for (const line of lines) {
    expect(line).toMatchObject({ status: 'error', llm_calls: 0, retries: 0 });
    expect(line.error!.message).toContain(
      'no secure connection was made: check the scheme in base_url',
    );
  }
});

it('counts no call for a TLS handshake that never ends: the time limit names the endpoint', async () => {
  silentConnections = 0;
  const { lines } = await runCard(
    [
      {
        name: 'Silent',
        class: 'llm/classifier',
        base_url: `https://127.0.0.1:${silentPort}/v1`,
        timeout_ms: 200,
        max_retries: 1,
        prompt: '{{ text }}',
      },
    ],
    1,
  );
  // By hand: 1 item, 2 attempts, each a TCP connection whose handshake got no answer.
  expect(silentConnections).toBe(2);
  expect(lines[0]).toMatchObject({ status: 'error', llm_calls: 0, retries: 0 });
  expect(lines[0]!.error!.message).toContain(
    `cannot reach the endpoint https://127.0.0.1:${silentPort}/v1/chat/completions: no connection within 200 ms`,
  );
});

it('a run with a live and a dead endpoint counts the requests the live server received', async () => {
  server.resetStats();
  // Two failures the live server answers (500s, retried): 4 items, 4 calls and 2 retries.
  server.queueFaults('500', '500');
  const { lines, metrics } = await runCard(
    [
      { name: 'Live', class: 'llm/classifier', base_url: server.url, prompt: '{{ text }}' },
      {
        name: 'Dead',
        class: 'llm/classifier',
        base_url: `http://127.0.0.1:${deadPort}/v1`,
        prompt: '{{ text }}',
      },
    ],
    4,
  );
  expect(lines).toHaveLength(8);
  expect(server.stats.requests).toBe(6);
  expect(metrics.cost.llm_calls + metrics.cost.retries).toBe(server.stats.requests);
  expect(metrics.cost).toMatchObject({ llm_calls: 4, retries: 2 });
  expect(metrics.scores.Dead!.llm_calls).toBe(0);
});
