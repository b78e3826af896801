// Where chunks are cut, over real call-center transcripts: the 88 Harper Valley Bank calls of
// examples/call-center-qa/data/calls.jsonl (from shared/data/hvb: the Gridspace-Stanford Harper
// Valley speech dataset, Apache-2.0, see that folder's LICENSE-NOTE.md), 87 to 285 tokens each.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { countTokens, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const calls = readFileSync(
  new URL('../../../examples/call-center-qa/data/calls.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; text: string });

/** The offsets at which each chunk occurs in the text, in order (-1: not a piece of it). */
function placesOf(text: string, chunks: readonly string[]): number[] {
  let from = 0;
  return chunks.map((chunk) => {
    const at = text.indexOf(chunk, from);
    if (at >= 0) from = at + 1;
    return at;
  });
}

const lineStart = (text: string, at: number) => at === 0 || text[at - 1] === '\n';

describe('chunk edges', () => {
  it('cut between turns, never through one, when turns fit in a chunk (88 calls)', async () => {
    expect(calls).toHaveLength(88);
    for (const { id, text } of calls) {
      // Every line (turn) of these calls is at most 65 tokens: each fits whole in 80.
      for (const overlap of [0, 30]) {
        const chunks = await splitTokens(text, 80, overlap);
        const places = placesOf(text, chunks);
        expect(places, id).not.toContain(-1);
        places.forEach((at, index) => {
          // What a chunk adds to the one before starts a turn; with overlap, it may repeat the
          // words ending a turn too long to repeat whole.
          const previousEnd = index === 0 ? 0 : places[index - 1]! + chunks[index - 1]!.length;
          expect(lineStart(text, Math.max(at, previousEnd)), `${id} chunk ${index}`).toBe(true);
          // A repeated turn is repeated whole: words of a turn only when none starts among them.
          if (overlap === 0 || text.slice(at, previousEnd - 1).includes('\n'))
            expect(lineStart(text, at), `${id} chunk ${index}`).toBe(true);
          const end = at + chunks[index]!.length;
          expect(end === text.length || text[end - 1] === '\n', `${id} chunk ${index}`).toBe(true);
          expect(countTokens(chunks[index]!)).toBeLessThanOrEqual(80);
        });
        // Whole: from the first character to the last, no gap between chunks.
        expect(places[0]).toBe(0);
        expect(places.at(-1)! + chunks.at(-1)!.length).toBe(text.length);
        for (let index = 1; index < chunks.length; index += 1) {
          const previousEnd = places[index - 1]! + chunks[index - 1]!.length;
          if (overlap === 0) expect(places[index]).toBe(previousEnd);
          else expect(places[index]!).toBeLessThanOrEqual(previousEnd);
        }
      }
    }
  });

  it('cut a turn longer than a chunk between words', async () => {
    // Every turn of a real call, as one agent turn too long for a 40-token chunk.
    const call = calls[1]!.text;
    const monologue = `Agent: ${call.replace(/\n(Agent|Caller): /g, ' ')}`;
    const text = `Caller: hi\n${monologue}\nCaller: thanks\nAgent: bye`;
    const chunks = await splitTokens(text, 40, 10);
    const places = placesOf(text, chunks);
    expect(places).not.toContain(-1);
    places.forEach((at, index) => {
      const end = at + chunks[index]!.length;
      // A word is cut from the one before at the spaces between them (they start the chunk).
      const edge = (position: number) =>
        /\s/.test(text[position - 1] ?? ' ') || /\s/.test(text[position] ?? ' ');
      expect(edge(at), `chunk ${index} starts mid-word`).toBe(true);
      expect(edge(end), `chunk ${index} ends mid-word`).toBe(true);
    });
  });

  it('never cut a character in two, nor leave its bytes to the next decode', async () => {
    const call = calls[0]!.text;
    const text = `${call}\nCaller: ${'💳'.repeat(30)} 日本語のテキストです\nAgent: got it`;
    for (const overlap of [0, 3]) {
      const chunks = await splitTokens(text, 20, overlap);
      expect(chunks.join('')).not.toContain('\uFFFD');
      expect(placesOf(text, chunks), `overlap ${overlap}`).not.toContain(-1);
      const cards = chunks.map((chunk) => [...chunk.matchAll(/💳/g)].length);
      if (overlap === 0) expect(cards.reduce((sum, count) => sum + count, 0)).toBe(30);
    }
    // gpt-tokenizer's decode keeps a cut character's bytes for its next call (a shared decoder):
    // chunking must not leave any there.
    expect(decode(encode('ham'))).toBe('ham');
  });
});

// "yes" when a line of the text the node saw is the agent's and says "replace": a turn whose
// speaker was cut off into the previous chunk reads as no one's.
const agentReplaces = (text: string) => /^Agent:[^\n]*\breplace/m.test(text);
const server = await startTestServer({
  decide: ({ text }) => (agentReplaces(text.split('Labels:')[0]!) ? 'yes' : 'no'),
});
afterAll(() => server.close());

describe('a per-chunk node over the test server', () => {
  it('answers as on the whole call when turns fit in a chunk, asking every chunk once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-chunk-edges-'));
    const score = {
      name: 'Replace',
      class: 'llm/graph',
      labels: ['yes', 'no'],
      model: 'edge-model',
      base_url: server.url,
      api_key_env: 'HOME',
      chunking: { max_tokens: 80, overlap: 0, combine: 'any' },
      nodes: [
        {
          name: 'replace',
          type: 'classifier',
          per_chunk: true,
          prompt: 'Does the agent offer to replace something?\n{{ text }}',
          labels: ['yes', 'no'],
        },
      ],
    };
    const card = await parseScorecard(`name: E\nscores:\n  - ${JSON.stringify(score)}\n`, {
      file: join(folder, 'card.yaml'),
      plugins: [plugin],
      cacheDir: folder,
      cache: false,
    });
    server.resetStats();
    const outputs = await card.scores[0]!.score!.doScore({
      items: calls.map(({ id, text }) => ({ id, text, metadata: {}, results: {} })),
      signal: new AbortController().signal,
      context: { scorecard: 'E' },
    });
    let chunkCount = 0;
    for (const { text } of calls) chunkCount += (await splitTokens(text, 80, 0)).length;
    const wrong = calls.filter(
      ({ text }, index) => outputs[index]!.value !== (agentReplaces(text) ? 'yes' : 'no'),
    );
    expect(wrong.map((call) => call.id)).toEqual([]);
    expect(calls.filter(({ text }) => agentReplaces(text)).length).toBeGreaterThan(5);
    // A hand count: one request per chunk, as the server counted them and the items say.
    expect(server.stats.requests).toBe(chunkCount);
    expect(outputs.reduce((sum, output) => sum + (output.usage?.calls ?? Number.NaN), 0)).toBe(
      chunkCount,
    );
  });
});
