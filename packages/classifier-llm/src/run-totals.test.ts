// A run through faults (500s, 429s, answers without a label) over real HTTP, with a plain, a
// chunked and a graph score: metrics.json's totals are the sums of results.jsonl, and the requests
// the server saw are `llm_calls + retries` (calls that gave up included).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine, type RunMetricsFile } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({
  faults: { '500': 0.2, malformed: 0.2, '429': 0.1 },
  seed: 5,
  retryAfterSeconds: 0.001,
});
afterAll(() => server.close());

it('adds up: metrics.json = sums of results.jsonl, server requests = llm_calls + retries', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-run-totals-'));
  const common = {
    labels: ['spam', 'ham'],
    model: 'gpt-4o-mini',
    base_url: server.url,
    max_retries: 1,
  };
  const scores = [
    { name: 'Plain', class: 'llm/classifier', prompt: 'Plain\n{{ text }}' },
    {
      name: 'Chunked',
      class: 'llm/classifier',
      prompt: 'Chunked\n{{ text }}',
      chunking: { max_tokens: 20, combine: 'any' },
    },
    {
      name: 'Graph',
      class: 'llm/graph',
      nodes: [{ name: 'a', type: 'classifier', prompt: 'A\n{{ text }}', labels: ['spam', 'ham'] }],
    },
  ];
  const yaml = `name: Totals\nscores:\n${scores.map((score) => `  - ${JSON.stringify({ ...common, ...score })}\n`).join('')}`;
  const card = await parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const data = join(folder, 'items.csv');
  const rows = Array.from(
    { length: 30 },
    (_, index) =>
      `m${index},${'word '.repeat(30)}message ${index} [[${index % 2 ? 'spam' : 'ham'}]]`,
  );
  writeFileSync(data, `id,text\n${rows.join('\n')}\n`);
  const outDir = join(folder, 'run');
  await evaluate({ scorecard: card, data, outDir, cache: false });

  const lines = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  expect(lines).toHaveLength(90); // every item of every score: a result or a reported error
  const sum = (pick: (line: ResultLine) => number | null | undefined) =>
    lines.reduce((total, line) => total + (pick(line) ?? 0), 0);
  const calls = sum((line) => line.llm_calls);
  const retries = sum((line) => line.retries);
  expect(lines.some((line) => line.status === 'error')).toBe(true); // some calls gave up
  expect(retries).toBeGreaterThan(0);
  expect(server.stats.requests).toBe(calls + retries);
  const metrics = JSON.parse(readFileSync(join(outDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
  expect(metrics.cost).toMatchObject({
    llm_calls: calls,
    retries,
    input_tokens: sum((line) => line.input_tokens),
    output_tokens: sum((line) => line.output_tokens),
  });
  expect(metrics.cost.usd).toBeCloseTo(
    sum((line) => line.cost_usd),
    12,
  );
});
