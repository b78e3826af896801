// The note a step gets when its prompt read a node this path did not ask ("its prompt read nodes
// this path did not ask, rendered empty: quote") is for the reader of the trace and the item's
// explanation. A later node whose prompt reads that step's explanation (`nodes.resolved.explanation`)
// was sent the note too: words about Plexus in the model's prompt, and a prompt other than the one
// the same graph sent before (its cached answers asked again, paid again). Over the test server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const asked: string[] = [];
const server = await startTestServer({
  decide: ({ text }) => {
    asked.push(text);
    return text.startsWith('#task ') ? 'no' : 'yes';
  },
});
afterAll(() => server.close());

it("a later node reading a step's explanation is not sent the step's note", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-graph-unasked-downstream-'));
  const settings = {
    name: 'Resolved',
    class: 'llm/graph',
    labels: ['yes', 'no'],
    model: 'unasked-model',
    base_url: server.url,
    api_key_env: 'HOME',
    nodes: [
      {
        name: 'task',
        type: 'classifier',
        prompt: '#task Does the caller state a task?\n{{ text }}',
        labels: ['yes', 'no'],
        routes: { no: 'resolved' },
      },
      { name: 'quote', type: 'extractor', prompt: 'Quote the agent.\n{{ text }}' },
      {
        name: 'resolved',
        type: 'classifier',
        prompt: '#resolved The agent said: {{ nodes.quote.quote }}. Resolved?',
        labels: ['yes', 'no'],
      },
      {
        name: 'check',
        type: 'classifier',
        prompt: '#check Was this reasoning sound? {{ nodes.resolved.explanation }}',
        labels: ['yes', 'no'],
      },
    ],
  };
  const card = await parseScorecard(`name: U\nscores:\n  - ${JSON.stringify(settings)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: 'call', text: 'Caller: hello. Agent: hi.', metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'U' },
  });
  const path = (output!.trace as { path: { node: string; explanation: string }[] }).path;
  expect(path.map((step) => step.node)).toEqual(['task', 'resolved', 'check']);
  // The step still says it, for the reader.
  expect(path[1]!.explanation).toMatch(/rendered empty: quote\)$/);
  const check = asked.find((text) => text.startsWith('#check '));
  expect(check).toBeDefined();
  expect(check).not.toMatch(/did not ask|rendered empty/);
});
