// A relevance filter that keeps nothing (`window`, `fallback: empty`) still asks the model, about
// an empty text: its answer then rests on no evidence, which the explanation says.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

/** The transcript part of each question the server was asked. */
const asked: string[] = [];
const server = await startTestServer({
  decide: ({ labels, text }) => {
    asked.push(text.split('\n').slice(1, -2).join('\n'));
    return labels[0]!;
  },
});
afterAll(() => server.close());

it('says when the model was asked about an empty text', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-empty-text-'));
  const common = {
    labels: ['yes', 'no'],
    model: 'gpt-4o-mini',
    base_url: server.url,
    processors: [{ type: 'window', keywords: ['card'], words: 5 }],
  };
  const scores = [
    { name: 'Classifier', class: 'llm/classifier', prompt: 'Card replaced?\n{{ text }}' },
    {
      name: 'Graph',
      class: 'llm/graph',
      nodes: [
        { name: 'card', type: 'classifier', prompt: 'Card?\n{{ text }}', labels: ['yes', 'no'] },
      ],
    },
  ];
  const yaml = `name: Empty\nscores:\n${scores.map((score) => `  - ${JSON.stringify({ ...common, ...score })}\n`).join('')}`;
  const card = await parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const data = join(folder, 'items.csv');
  writeFileSync(
    data,
    'id,text\nbalance,I want to check my balance\nlost,I lost my card yesterday\n',
  );
  await evaluate({ scorecard: card, data, outDir: join(folder, 'run'), cache: false });
  const lines = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  // The model was asked twice about nothing (once per score), twice about the card.
  expect(asked.filter((text) => text.trim() === '')).toHaveLength(2);
  const note = ' (asked about an empty text: the processors kept nothing, or the item has no text)';
  for (const line of lines) {
    expect(line.status).toBe('ok');
    if (line.item_id === 'balance') expect(line.explanation!.endsWith(note)).toBe(true);
    else expect(line.explanation).not.toContain('empty text');
  }
});
