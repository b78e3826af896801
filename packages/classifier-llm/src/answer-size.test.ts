// A server that sends huge answers (it ignores max_tokens, or max_tokens is large): the result line
// keeps 2,048 characters of each answer and 1,000 of its reasoning, as prompts keep 8 KB a call.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const reasoning = `start ${'x'.repeat(300_000)} end`;
const server = await startTestServer({
  answer: ({ labels }) =>
    labels.length === 0 ? 'NONE' : JSON.stringify({ reasoning, label: labels[0] }),
});
afterAll(() => server.close());

it('keeps result lines small when answers are huge', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-answer-size-'));
  const common = {
    labels: ['spam', 'ham'],
    model: 'gpt-4o-mini',
    base_url: server.url,
    max_tokens: 200_000,
  };
  const scores = [
    { name: 'Classifier', class: 'llm/classifier', prompt: 'Q\n{{ text }}' },
    {
      name: 'Graph',
      class: 'llm/graph',
      nodes: [{ name: 'a', type: 'classifier', prompt: 'A\n{{ text }}', labels: ['spam', 'ham'] }],
    },
  ];
  const yaml = `name: Size\nscores:\n${scores.map((score) => `  - ${JSON.stringify({ ...common, ...score })}\n`).join('')}`;
  const card = await parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const data = join(folder, 'items.csv');
  writeFileSync(data, 'id,text\na,hello\n');
  await evaluate({ scorecard: card, data, outDir: join(folder, 'run'), cache: false });
  const raw = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8')
    .trim()
    .split('\n');
  expect(raw).toHaveLength(2);
  for (const text of raw) {
    const line = JSON.parse(text) as ResultLine;
    expect(line).toMatchObject({ status: 'ok', value: 'spam' });
    // Before: 600 KB a line (the reasoning whole in the explanation and in trace.answers).
    expect(text.length).toBeLessThan(20_000);
    expect(line.explanation).toBe(`${reasoning.slice(0, 1000)}…`);
    const answers = JSON.stringify(line.trace).match(/characters cut…\]/g) ?? [];
    expect(answers.length).toBeGreaterThanOrEqual(1); // the answer's middle, named as cut
  }
});
