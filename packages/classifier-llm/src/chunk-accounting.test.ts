// Chunked calls over real HTTP: the tokens of an item are the server's usage summed over its
// chunks (a hand count of the server's rule), a graph node asked per chunk counts the calls of
// every chunk, failed ones too (its trace's usage adds up to the item's), and a vote that left a
// chunk out says so in its explanation.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { labelResponseFormat } from './chat-provider.js';
import { splitTokens } from './chunking.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// A chunk with "zebra" gets an answer without a label; every other chunk is answered "no".
const server = await startTestServer({
  decide: () => 'no',
  answer: ({ text }) => (/\bzebra\b/.test(text) ? 'I cannot tell.' : undefined),
});
afterAll(() => server.close());

const text = Array.from({ length: 60 }, (_, index) =>
  index === 25 ? 'zebra' : `word${index}`,
).join(' ');
const chunking = { max_tokens: 40, overlap: 0, combine: 'any' };

async function scoreWith(score: Record<string, unknown>, itemText = text): Promise<ScoreOutputV1> {
  const card = await parseScorecard(
    `name: C\nscores:\n  - ${JSON.stringify({ name: 'S', labels: ['yes', 'no'], model: 'test-model', base_url: server.url, max_corrections: 0, chunking, ...score })}\n`,
    {
      file: '/tmp/chunk-accounting.yaml',
      plugins: [plugin],
      cacheDir: mkdtempSync(join(tmpdir(), 'plexus-chunk-count-')),
      cache: false,
    },
  );
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: itemText, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'C' },
  });
  return output!;
}

/** The server's count of a request's input tokens, by hand: 4 characters a token (rounded up). */
function inputTokens(messages: { content: string }[], labels: string[]): number {
  const tokens = (value: string) => Math.max(1, Math.ceil(value.length / 4));
  const schema = tokens(JSON.stringify(labelResponseFormat(labels)));
  return 3 + schema + messages.reduce((sum, message) => sum + 4 + tokens(message.content), 0);
}

describe('chunked calls', () => {
  it('llm/classifier: tokens are the chunks’ server usage, and the vote says what it left out', async () => {
    const chunks = await splitTokens(text, 40, 0);
    const zebra = chunks.filter((chunk) => /\bzebra\b/.test(chunk)).length;
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(zebra).toBe(1);
    const output = await scoreWith({ class: 'llm/classifier', prompt: 'Q?\n{{ text }}' });
    expect(output).toMatchObject({ value: 'no', status: 'ok', usage: { calls: chunks.length } });
    const trace = output.trace as {
      chunks: { label: string | null; prompts: { messages: { content: string }[] }[] }[];
    };
    const expected = trace.chunks.reduce(
      (sum, chunk) => sum + inputTokens(chunk.prompts[0]!.messages, ['yes', 'no']),
      0,
    );
    expect(output.usage!.inputTokens).toBe(expected);
    expect(trace.chunks.filter((chunk) => chunk.label === null)).toHaveLength(zebra);
    expect(output.explanation).toBe(
      `any of ${chunks.length} chunks: no (1 chunk without a valid label left out of the vote: chunk ${chunks.findIndex((chunk) => /\bzebra\b/.test(chunk)) + 1}); from chunk 1: The text points to no.`,
    );
  });

  it('llm/classifier: no chunk with a valid label is an error saying so', async () => {
    const output = await scoreWith(
      { class: 'llm/classifier', prompt: 'Q?\n{{ text }}' },
      Array.from({ length: 60 }, () => 'zebra').join(' '),
    );
    expect(output).toMatchObject({
      value: null,
      status: 'error',
      error: { code: 'invalid_answer' },
    });
    expect(output.error!.message).toContain(
      '(why: no chunk gave a valid label; the last: it names none of the labels)',
    );
  });

  it('llm/graph: a per-chunk node counts the calls of its failed chunk, adding up to the item’s', async () => {
    const chunks = await splitTokens(text, 40, 0);
    const node = { name: 'ask', type: 'classifier', per_chunk: true, prompt: 'Q?\n{{ text }}' };
    const output = await scoreWith({
      class: 'llm/graph',
      nodes: [{ ...node, labels: ['yes', 'no'] }],
    });
    expect(output).toMatchObject({ value: 'no', status: 'ok', usage: { calls: chunks.length } });
    const [step] = (output.trace as { path: { usage: { calls: number; input_tokens: number } }[] })
      .path;
    expect(step!.usage.calls).toBe(chunks.length);
    expect(step!.usage.input_tokens).toBe(output.usage!.inputTokens);
    expect(output.explanation).toBe(
      `any of ${chunks.length} chunks: no (1 chunk without a valid label left out of the vote: chunk ${chunks.findIndex((chunk) => /\bzebra\b/.test(chunk)) + 1}); from chunk 1: The text points to no.`,
    );
  });
});

describe('a chunk whose call fails', () => {
  it('ends the item as an error once every chunk has answered, counting every request sent', async () => {
    const failing = await startTestServer({ decide: () => 'no', latencyMs: 20 });
    try {
      const folder = mkdtempSync(join(tmpdir(), 'plexus-chunk-fail-'));
      const score = {
        name: 'S',
        class: 'llm/classifier',
        labels: ['yes', 'no'],
        model: 'gpt-4o-mini',
        base_url: failing.url,
        prompt: 'Q?\n{{ text }}',
        max_retries: 0,
        chunking,
      };
      const card = await parseScorecard(`name: C\nscores:\n  - ${JSON.stringify(score)}\n`, {
        file: join(folder, 'card.yaml'),
        plugins: [plugin],
        cacheDir: folder,
        cache: false,
      });
      const data = join(folder, 'items.jsonl');
      writeFileSync(data, `${JSON.stringify({ id: 'long', text })}\n`);
      failing.queueFaults('500'); // the first chunk's request to arrive
      const outDir = join(folder, 'run');
      await evaluate({ scorecard: card, data, outDir, cache: false });
      const [line] = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((entry) => JSON.parse(entry) as ResultLine);
      const chunks = (await splitTokens(text, 40, 0)).length;
      expect(failing.stats.requests).toBe(chunks);
      expect(line).toMatchObject({ status: 'error', llm_calls: chunks });
      expect(line!.error!.message).toContain('500');
      // The answered chunks' tokens are counted too: all but the failed request's.
      expect(line!.input_tokens).toBeGreaterThan(0);
      // The trace keeps every chunk: the failed one's error, the others' answers and prompts.
      const traced = (line!.trace as { chunks: { error?: string; answers?: string[] }[] }).chunks;
      expect(traced).toHaveLength(chunks);
      expect(traced.filter((chunk) => chunk.error?.includes('500'))).toHaveLength(1);
      expect(traced.filter((chunk) => chunk.answers?.length === 1)).toHaveLength(chunks - 1);
    } finally {
      await failing.close();
    }
  });
});
