import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyProcessors,
  evaluate,
  InvalidConfigError,
  type LoadedScorecard,
  parseScorecard,
  type ScoreOutputV1,
} from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// Harper Valley Bank calls (Apache-2.0: packages/core/test-data/hvb/LICENSE-NOTE.md).
const callsFile = new URL('../../core/test-data/hvb/calls.jsonl', import.meta.url);
const calls = new Map(
  readFileSync(callsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; text: string })
    .map((call) => [call.id, call.text]),
);
const lostCard = calls.get('0002f70f7386445b')!;

// #card: "yes" when the text the node saw names a card; #done: when it has "anything else".
const seen: string[] = [];
const server = await startTestServer({
  decide: ({ text }) => {
    seen.push(text);
    const transcript = text.slice(text.indexOf('\n')); // after the question's first line
    if (text.startsWith('#broken')) return 'maybe'; // never a label: the node fails
    if (text.startsWith('#flaky') && /\blost\b/.test(transcript)) return 'maybe';
    if (/^#(card|flaky)/.test(text)) return /\bcard\b/.test(transcript) ? 'yes' : 'no';
    if (text.startsWith('#done')) return /anything else/.test(transcript) ? 'yes' : 'no';
    return 'no';
  },
});
process.env.PLEXUS_CHUNK_KEY = 'local';
afterAll(() => server.close());

function graph(options: { chunking: string; card?: string; processors?: string }): string {
  return `name: Chunks
scores:
  - name: Card Done
    class: llm/graph
    labels: ["yes", "no"]
    model: chunk-model
    base_url: "${server.url}"
    api_key_env: PLEXUS_CHUNK_KEY
    chunking: ${options.chunking}
    processors: ${options.processors ?? '[]'}
    nodes:
      - name: card
        type: classifier
        prompt: "#card Is a card named?\\n{{ text }}"
        labels: ["yes", "no"]
        routes: { "no": { end: { value: "no", explanation: "no card" } } }${options.card ?? ''}
      - name: done
        type: classifier
        prompt: "#done Does the agent offer more help?\\n{{ text }}"
        labels: ["yes", "no"]
`;
}

async function load(yaml: string): Promise<LoadedScorecard> {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-chunks-'));
  return parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
  });
}

async function score(yaml: string, text: string): Promise<ScoreOutputV1> {
  const card = await load(yaml);
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: 'call', text, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'Chunks' },
  });
  return output!;
}

// The chunks the score must see (splitTokens is tested on its own in chunking.test.ts).
const chunks = await splitTokens(lostCard, 40, 0);
const cardIn = chunks.map((chunk) => (/\bcard\b/.test(chunk) ? 'yes' : 'no'));
const doneIn = chunks.map((chunk) => (/anything else/.test(chunk) ? 'yes' : 'no'));

interface Step {
  node: string;
  value: string;
  chunks?: { chunk: number; value: string }[];
  combine?: string;
}

describe('llm/graph with chunking', () => {
  it('runs the whole tree per chunk and combines the chunks, every path in the trace', async () => {
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(cardIn).toContain('yes');
    expect(cardIn).toContain('no');
    server.resetStats();
    const output = await score(graph({ chunking: '{ max_tokens: 40, combine: any }' }), lostCard);
    const trace = output.trace as {
      combine: string;
      chunks: { chunk: number; value: string; path: Step[] }[];
      input: { chars: number; text: string };
    };
    // Hand rule per chunk: no card ends "no" after one node; a card asks #done on that chunk.
    const paths = chunks.map((_, index) =>
      cardIn[index] === 'no' ? 'card=no' : `card=yes done=${doneIn[index]}`,
    );
    expect(
      trace.chunks.map((chunk) => chunk.path.map((step) => `${step.node}=${step.value}`).join(' ')),
    ).toEqual(paths);
    const values = chunks.map((_, index) => (cardIn[index] === 'no' ? 'no' : doneIn[index]!));
    expect(trace.chunks.map((chunk) => chunk.value)).toEqual(values);
    expect(output.value).toBe(values.includes('yes') ? 'yes' : 'no');
    expect(trace.combine).toBe('any');
    expect(trace.input).toEqual({ chars: lostCard.length, text: lostCard });
    const calls = paths.join(' ').split(' ').length;
    expect(server.stats.requests).toBe(calls);
    expect(output.usage?.calls).toBe(calls);
  });

  it('runs a per_chunk node per chunk and its combine rule decides the route', async () => {
    for (const rule of ['any', 'all', 'majority', 'first'] as const) {
      seen.length = 0;
      const output = await score(
        graph({
          chunking: '{ max_tokens: 40, combine: all }',
          card: `\n        per_chunk: true\n        combine: ${rule}`,
        }),
        lostCard,
      );
      const path = (output.trace as { path: Step[] }).path;
      const yes = cardIn.filter((value) => value === 'yes').length;
      const no = cardIn.length - yes;
      const combined = {
        any: yes > 0 ? 'yes' : 'no',
        all: no === 0 ? 'yes' : 'no',
        majority: yes === no ? cardIn[0] : yes > no ? 'yes' : 'no', // ties: the earlier chunk's
        first: cardIn[0],
      }[rule];
      expect(
        path[0]!.chunks!.map((chunk) => chunk.value),
        rule,
      ).toEqual(cardIn);
      expect(path[0]!.combine).toBe(rule);
      expect(path[0]!.value, rule).toBe(combined);
      if (combined === 'yes') {
        // #done ran once, on the whole call, not per chunk.
        expect(path.map((step) => step.node)).toEqual(['card', 'done']);
        expect(path[1]!.chunks).toBeUndefined();
        expect(seen.filter((text) => text.startsWith('#done'))).toHaveLength(1);
        expect(seen.find((text) => text.startsWith('#done'))).toContain(lostCard);
        expect(output.value).toBe('yes'); // the whole call has "anything else"
      } else {
        expect(path.map((step) => step.node)).toEqual(['card']);
        expect(output.value).toBe('no');
      }
      expect(seen.filter((text) => text.startsWith('#card'))).toHaveLength(chunks.length);
    }
  });

  it('leaves a failed chunk out of the vote and keeps its error; all failed is an error', async () => {
    const lostIn = chunks.map((chunk) => /\blost\b/.test(chunk));
    expect(lostIn.filter(Boolean)).toHaveLength(1);
    const perChunk = graph({
      chunking: '{ max_tokens: 40, combine: all }',
      card: '\n        per_chunk: true\n        combine: majority',
    });
    const output = await score(perChunk.replace('#card', '#flaky'), lostCard);
    const [step] = (output.trace as { path: { value: string; chunks: { error?: string }[] }[] })
      .path;
    const kept = cardIn.filter((_, index) => !lostIn[index]);
    const yes = kept.filter((value) => value === 'yes').length;
    const no = kept.length - yes;
    expect(step!.value).toBe(yes === no ? kept[0] : yes > no ? 'yes' : 'no');
    step!.chunks.forEach((chunk, index) => {
      if (lostIn[index]) expect(chunk.error).toMatch(/node "card" gave no valid label/);
      else expect(chunk).toMatchObject({ chunk: index, value: cardIn[index] });
    });
    const broken = await score(perChunk.replace('#card', '#broken'), lostCard);
    expect(broken.status).toBe('error');
    expect(broken.error?.message).toMatch(/node "card" gave no valid label/);
    // The whole tree per chunk: the chunk whose tree failed is an error in the trace.
    const tree = await score(
      graph({ chunking: '{ max_tokens: 40, combine: any }' }).replace('#card', '#flaky'),
      lostCard,
    );
    const statuses = (tree.trace as { chunks: { status: string }[] }).chunks.map(
      (chunk) => chunk.status,
    );
    expect(statuses).toEqual(lostIn.map((lost) => (lost ? 'error' : 'ok')));
    expect(tree.status).toBe('ok');
  });

  it('shows in the trace the text the graph saw after its processors', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-chunks-run-'));
    const processors = '[{ type: window, keywords: [card], turns: 0, speakers: [caller] }]';
    const yaml = graph({ chunking: '{ max_tokens: 40, combine: any }', processors });
    const card = await parseScorecard(yaml, {
      file: join(folder, 'card.yaml'),
      plugins: [plugin],
      cacheDir: folder,
    });
    await evaluate({ scorecard: card, data: callsFile.pathname, outDir: join(folder, 'run') });
    const lines = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { item_id: string; trace: { input: { text: string } } });
    const line = lines.find((candidate) => candidate.item_id === '0002f70f7386445b')!;
    const expected = applyProcessors(lostCard, card.scores[0]!.processors);
    expect(expected).toBe(
      'Caller: i lost my debit card\n…\nCaller: debit card\n…\nCaller: my debit card',
    );
    expect(line.trace.input.text).toBe(expected);
  });

  it('refuses per-chunk settings that cannot apply, naming the place', async () => {
    const problems = async (yaml: string) => {
      try {
        await load(yaml);
        return [];
      } catch (error) {
        if (!(error instanceof InvalidConfigError)) throw error;
        return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
      }
    };
    const unchunked = graph({ chunking: 'null', card: '\n        per_chunk: true' }).replace(
      '    chunking: null\n',
      '',
    );
    expect(await problems(unchunked)).toEqual([
      'scores[0].nodes[0].per_chunk: node "card" runs per chunk: set chunking (max_tokens, combine) on the score',
    ]);
    expect(
      await problems(
        graph({ chunking: '{ max_tokens: 40, combine: any }', card: '\n        combine: all' }),
      ),
    ).toEqual([
      'scores[0].nodes[0].combine: combine applies to a node that runs per chunk: add per_chunk: true to "card"',
    ]);
    expect(
      await problems(
        graph({
          chunking: '{ max_tokens: 40, combine: any, positive_label: maybe }',
        }),
      ),
    ).toEqual([
      `scores[0].chunking.positive_label: "maybe" is not one of the score's labels (yes, no)`,
    ]);
  });
});
