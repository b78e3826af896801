// A transcript longer than the model's context, through llm/graph over the test server (which
// refuses such a request 400 context_length_exceeded, as OpenAI does): a day of ten Harper Valley
// Bank calls (from shared/data/hvb via examples/call-center-qa/data: Apache-2.0, see its
// LICENSE-NOTE), about 1,250 tokens, against a 1,000-token context.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const day = readFileSync(
  new URL('../../../examples/call-center-qa/data/calls.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(0, 10)
  .map((line) => (JSON.parse(line) as { text: string }).text)
  .join('\n');

const balance = (text: string) => /\bbalance\b/.test(text);
const server = await startTestServer({
  contextTokens: 1000,
  decide: ({ text }) => (balance(text.split('Labels:')[0]!) ? 'yes' : 'no'),
});
afterAll(() => server.close());

async function score(settings: Record<string, unknown>): Promise<ScoreOutputV1> {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-graph-context-'));
  const yaml = JSON.stringify({
    name: 'Balance',
    class: 'llm/graph',
    labels: ['yes', 'no'],
    model: 'context-model',
    base_url: server.url,
    api_key_env: 'HOME',
    max_retries: 0,
    ...settings,
  });
  const card = await parseScorecard(`name: D\nscores:\n  - ${yaml}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  server.resetStats();
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: 'day', text: day, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'D' },
  });
  return output!;
}

const node = (fields: Record<string, unknown> = {}) => ({
  name: 'balance',
  type: 'classifier',
  prompt: 'Is an account balance asked for or given?\n{{ text }}',
  labels: ['yes', 'no'],
  ...fields,
});

interface Failed {
  node: string;
  chunks?: { chunk: number; error: string }[];
}

describe('a transcript longer than the model’s context', () => {
  it('unchunked: the error names the node the endpoint refused, and so does the trace', async () => {
    const output = await score({ nodes: [node()] });
    expect(server.stats.statuses).toEqual({ 400: 1 });
    expect(output.status).toBe('error');
    expect(output.error!.message).toMatch(
      /^node "balance": the endpoint answered 400 .*maximum context length is 1000 tokens/,
    );
    expect((output.trace as { failed: Failed }).failed.node).toBe('balance');
    expect(output.usage).toMatchObject({ calls: 1, inputTokens: 0 });
  });

  it('chunked to fit: every chunk is asked once and answered', async () => {
    const chunks = await splitTokens(day, 500, 0);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const perChunk of [true, false]) {
      const output = await score({
        chunking: { max_tokens: 500, combine: 'all' },
        nodes: [node(perChunk ? { per_chunk: true } : {})],
      });
      expect(server.stats.statuses).toEqual({ 200: chunks.length });
      expect(output.usage!.calls).toBe(chunks.length);
      // Hand count: "all" is yes only if every chunk names the balance.
      expect(output.value).toBe(chunks.every(balance) ? 'yes' : 'no');
    }
  });

  it('a per-chunk node whose every chunk was refused: the trace names the node and each chunk', async () => {
    const chunks = await splitTokens(day, 900, 0);
    expect(chunks).toHaveLength(2);
    const output = await score({
      chunking: { max_tokens: 900, combine: 'any' },
      max_tokens: 700, // with its answer's room, neither chunk fits in 1,000 tokens
      nodes: [node({ per_chunk: true })],
    });
    expect(server.stats.statuses).toEqual({ 400: 2 });
    expect(output.status).toBe('error');
    expect(output.error!.message).toMatch(/^node "balance": the endpoint answered 400/);
    const failed = (output.trace as { failed: Failed }).failed;
    expect(failed.node).toBe('balance');
    expect(failed.chunks!.map((chunk) => chunk.chunk)).toEqual([0, 1]);
    for (const chunk of failed.chunks!) expect(chunk.error).toMatch(/context length/);
    expect(output.usage!.calls).toBe(2);
  });
});
