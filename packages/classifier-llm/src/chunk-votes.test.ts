// What a chunked graph says about its chunks, over the test server and a real call (Harper Valley
// Bank, from shared/data/hvb via examples/call-center-qa/data: Apache-2.0, see its LICENSE-NOTE):
// which chunk decided, which were left out and why, and a hand count of the server's requests
// against the calls, retries and cache hits the item reports.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigError, parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const call = readFileSync(
  new URL('../../../examples/call-center-qa/data/calls.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .map((line) => (line ? (JSON.parse(line) as { id: string; text: string }) : undefined))
  .find((entry) => entry?.id === '0091a706bc604188')!.text; // a balance check, 3 chunks of 40

// "yes" when the text the node saw (before the label list) names the balance.
const server = await startTestServer({
  decide: ({ text }) => (/\bbalance\b/.test(text.split('Labels:')[0]!) ? 'yes' : 'no'),
});
afterAll(() => server.close());

function card(nodeFields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    name: 'Balance',
    class: 'llm/graph',
    labels: ['yes', 'no'],
    model: 'vote-model',
    base_url: server.url,
    api_key_env: 'HOME',
    max_retries: 0,
    chunking: { max_tokens: 40, combine: 'any' },
    nodes: [
      {
        name: 'balance',
        type: 'classifier',
        prompt: 'Is an account balance asked for or given?\n{{ text }}',
        labels: ['yes', 'no'],
        ...nodeFields,
      },
    ],
    ...extra,
  };
}

async function score(settings: object, cacheDir?: string): Promise<ScoreOutputV1> {
  const folder = cacheDir ?? mkdtempSync(join(tmpdir(), 'plexus-chunk-votes-'));
  const loaded = await parseScorecard(`name: V\nscores:\n  - ${JSON.stringify(settings)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
  });
  const [output] = await loaded.scores[0]!.score!.doScore({
    items: [{ id: 'call', text: call, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'V' },
  });
  return output!;
}

const chunks = await splitTokens(call, 40, 0);
const said = chunks.map((chunk) => (/\bbalance\b/.test(chunk) ? 'yes' : 'no'));

describe('a chunked score names its chunks, and shows them', () => {
  it('a per-chunk node: the chunk that failed, with its code, and the chunk that decided', async () => {
    expect(chunks).toHaveLength(3);
    expect(said).toEqual(['yes', 'yes', 'no']);
    server.resetStats();
    server.queueFaults('500'); // the first request to arrive; max_retries 0: that chunk fails
    const output = await score(card({ per_chunk: true }));
    const [step] = (output.trace as { path: { chunks: { chunk: number; error?: string }[] }[] })
      .path;
    const failed = step!.chunks.findIndex((chunk) => chunk.error !== undefined);
    expect(failed).toBeGreaterThanOrEqual(0);
    const decider = said.findIndex((value, index) => index !== failed && value === 'yes');
    expect(output.value).toBe('yes');
    expect(output.explanation).toMatch(
      new RegExp(
        `^any of 3 chunks: yes \\(1 chunk failed \\(http_500\\) left out of the vote: chunk ${failed + 1}\\); from chunk ${decider + 1}: `,
      ),
    );
    expect(server.stats.requests).toBe(3);
    expect(output.usage).toMatchObject({ calls: 3, retries: 0, cacheHits: 0 });
  });

  it('the whole tree per chunk: the same, from each chunk’s own end', async () => {
    server.resetStats();
    server.queueFaults('500');
    const output = await score(card({}));
    const traced = (output.trace as { chunks: { status: string }[] }).chunks;
    const failed = traced.findIndex((chunk) => chunk.status === 'error');
    const decider = said.findIndex((value, index) => index !== failed && value === 'yes');
    expect(output.explanation).toMatch(
      new RegExp(
        `^any of 3 chunks: yes \\(1 chunk failed \\(http_500\\) left out of the vote: chunk ${failed + 1}\\); from chunk ${decider + 1}: `,
      ),
    );
    expect(server.stats.requests).toBe(3);
  });

  it('counts retries and cache hits as the server saw them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-chunk-votes-cache-'));
    server.resetStats();
    server.queueFaults('500', '429');
    const first = await score(card({ per_chunk: true }, { max_retries: 2 }), folder);
    // Hand count: 3 chunks answered, after one 500 and one 429 retried.
    expect(server.stats.requests).toBe(5);
    expect(first.usage).toMatchObject({ calls: 3, retries: 2, cacheHits: 0 });
    expect(first.explanation).toMatch(/^any of 3 chunks: yes; from chunk 1: /);
    server.resetStats();
    const again = await score(card({ per_chunk: true }, { max_retries: 2 }), folder);
    expect(server.stats.requests).toBe(0);
    expect(again.usage).toMatchObject({ calls: 0, retries: 0, cacheHits: 3 });
    expect(again.value).toBe('yes');
    const [step] = (again.trace as { path: { usage: { calls: number } }[] }).path;
    expect(step!.usage.calls).toBe(0);
  });

  it('refuses a per-chunk node whose prompt does not show the text: each chunk would ask the same', async () => {
    const refused = await score(
      card({ per_chunk: true, prompt: 'Was the balance given? {{ metadata.note }}' }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidConfigError);
    expect((refused as InvalidConfigError).problems.map((problem) => problem.path)).toEqual([
      'scores[0].nodes[0].per_chunk',
    ]);
    expect((refused as Error).message).toMatch(
      /node "balance" runs per chunk but its prompt does not show the text \(\{\{ text \}\}\): every chunk would ask the same question/,
    );
  });

  it('llm/classifier: refuses chunking with a prompt that does not show the text', async () => {
    const refused = await score({
      name: 'Balance',
      class: 'llm/classifier',
      labels: ['yes', 'no'],
      model: 'vote-model',
      base_url: server.url,
      api_key_env: 'HOME',
      chunking: { max_tokens: 40, combine: 'any' },
      prompt: 'Was the balance given? Part {{ chunk.index }}',
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidConfigError);
    expect((refused as InvalidConfigError).problems).toMatchObject([
      {
        path: 'scores[0].chunking',
        message:
          'the prompt does not show the text ({{ text }}), so every chunk would ask the same question: show the text or remove chunking',
      },
    ]);
  });
});
