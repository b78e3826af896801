// A graph node whose endpoint sent no `usage`: its trace step said `0 + 0` tokens, a figure that
// passed for a count, while the item's line said tokens_unknown.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ usage: false });
afterAll(() => server.close());

it("says a graph node's tokens are unknown in its trace step", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-graph-no-usage-'));
  const score = {
    name: 'G',
    class: 'llm/graph',
    labels: ['spam', 'ham'],
    model: 'gpt-4o-mini',
    base_url: server.url,
    nodes: [{ name: 'ask', type: 'classifier', labels: ['spam', 'ham'], prompt: 'Q?\n{{ text }}' }],
  };
  const card = await parseScorecard(`name: U\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const data = join(folder, 'items.csv');
  writeFileSync(data, 'id,text\na,win a prize [[spam]]\n');
  const outDir = join(folder, 'run');
  const summary = await evaluate({ scorecard: card, data, outDir, cache: false });
  expect(summary).toMatchObject({ status: 'completed', results: 1, errors: 0 });
  const [line] = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as ResultLine);
  expect(line!.tokens_unknown).toBe(true);
  const [step] = (line!.trace as { path: { usage: Record<string, unknown> }[] }).path;
  expect(step!.usage).toMatchObject({ calls: 1, tokens_unknown: true });
});
