// A node whose prompt reads a node this item's path routed past: the prompt renders it empty, and
// the node's step says so (it was asked "The agent said: . Resolved?" without a word about it).
// Over the test server, with a real call (Harper Valley Bank, from shared/data/hvb via
// examples/call-center-qa/data: Apache-2.0, see its LICENSE-NOTE).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const call = readFileSync(
  new URL('../../../examples/call-center-qa/data/calls.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .map((line) => (line ? (JSON.parse(line) as { id: string; text: string }) : undefined))
  .find((entry) => entry?.id === '0091a706bc604188')!.text;

// #task: "no" (routed past the quote); #resolved: "yes"; the quote: the agent's balance line.
const asked: string[] = [];
const server = await startTestServer({
  decide: ({ text }) => {
    asked.push(text);
    return text.startsWith('#task ') ? 'no' : 'yes';
  },
});
afterAll(() => server.close());

async function score(
  prompt: string,
  task = 'no',
  mapping?: { value: string; explanation: string },
): Promise<ScoreOutputV1> {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-graph-unasked-'));
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
        prompt: `#task${task === 'yes' ? '-yes' : ''} Does the caller state a task?\n{{ text }}`,
        labels: ['yes', 'no'],
        routes: { no: 'resolved' },
      },
      { name: 'quote', type: 'extractor', prompt: 'Quote the agent.\n{{ text }}' },
      { name: 'resolved', type: 'classifier', prompt, labels: ['yes', 'no'] },
    ],
    ...(mapping ? { output: mapping } : {}),
  };
  const card = await parseScorecard(`name: U\nscores:\n  - ${JSON.stringify(settings)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  asked.length = 0;
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: 'call', text: call, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'U' },
  });
  return output!;
}

interface Step {
  node: string;
  explanation: string;
  unasked?: string[];
}

describe('a prompt reading a node this path did not ask', () => {
  it('is said in the step, its explanation and the item’s', async () => {
    const output = await score('#resolved The agent said: {{ nodes.quote.quote }}. Resolved?');
    expect(asked[1]).toMatch(/^#resolved The agent said: \. Resolved\?/);
    const path = (output.trace as { path: Step[] }).path;
    expect(path.map((step) => step.node)).toEqual(['task', 'resolved']);
    expect(path[1]!.unasked).toEqual(['quote']);
    expect(path[1]!.explanation).toMatch(
      /\(its prompt read nodes this path did not ask, rendered empty: quote\)$/,
    );
    expect(output.explanation).toBe(path[1]!.explanation);
  });

  it('says nothing when the path asked it, or the prompt does not read it', async () => {
    const reads = await score('#resolved The agent said: {{ nodes.quote.quote }}.', 'yes');
    const path = (reads.trace as { path: Step[] }).path;
    expect(path.map((step) => step.node)).toEqual(['task', 'quote', 'resolved']);
    expect(path[2]!.unasked).toBeUndefined();
    const plain = await score('#resolved Resolved?\n{{ text }}');
    expect((plain.trace as { path: Step[] }).path[1]!.unasked).toBeUndefined();
    expect(plain.explanation).not.toMatch(/did not ask/);
  });

  it('an output explanation reading it says so too (it was empty)', async () => {
    const output = await score('#resolved Resolved?\n{{ text }}', 'no', {
      value: '{{ nodes.resolved.value }}',
      explanation: 'agent: {{ nodes.quote.quote }}',
    });
    expect(output.value).toBe('yes');
    expect(output.explanation).toBe(
      'agent:  (it read nodes this path did not ask, rendered empty: quote)',
    );
    const asked = await score('#resolved Resolved?\n{{ text }}', 'yes', {
      value: '{{ nodes.resolved.value }}',
      explanation: 'agent: {{ nodes.quote.quote }}',
    });
    expect(asked.explanation).not.toMatch(/did not ask/);
  });
});
