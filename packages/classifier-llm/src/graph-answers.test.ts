// llm/graph over real HTTP: an extractor's quote must be words of the text (not punctuation, not
// a reasoning model's <think> block), and a logic rule that reads a node this item's path never
// asked says so in its explanation instead of passing the missing answer off as one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

/** An extraction request's answer is the text after `[[quote:` … `]]` in the item. */
const server = await startTestServer({
  answer: ({ labels, text }) =>
    labels.length === 0 ? /\[\[quote:(.*?)\]\]/s.exec(text)?.[1] : undefined,
});
afterAll(() => server.close());

function run(nodes: unknown[], text: string): Promise<ScoreOutputV1> {
  return runWith({ nodes }, text);
}

const classify = (name: string) => ({
  name,
  type: 'classifier',
  prompt: `${name}?\n{{ text }}`,
  labels: ['yes', 'no'],
});

async function runWith(settings: Record<string, unknown>, text: string): Promise<ScoreOutputV1> {
  const score = {
    name: 'G',
    class: 'llm/graph',
    labels: ['yes', 'no'],
    model: 'test-model',
    base_url: server.url,
    ...settings,
  };
  const card = await parseScorecard(`name: T\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: '/tmp/graph-answers.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-graph-answers-')),
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!;
}

const extract = { name: 'quote', type: 'extractor', prompt: 'Quote the promise.\n{{ text }}' };
const decide = {
  name: 'decide',
  type: 'logic',
  rules: [{ when: 'nodes["quote"] == "found"', label: 'yes' }],
  otherwise: 'no',
};

describe('graph answers', () => {
  it('an extractor quote of punctuation only, or inside <think>, is not found', async () => {
    const cases: [string, string][] = [
      ['Agent: we will send it... [[quote:...]]', 'not_found'],
      ['Agent: we will send it. [[quote:<think>we will send it</think>NONE]]', 'not_found'],
      ['Agent: we will send it. [[quote:<think>look for it</think>"we will send it"]]', 'found'],
    ];
    for (const [text, value] of cases) {
      const output = await run([extract, decide], text);
      const [step] = (output.trace as { path: { value: string; quote: string }[] }).path;
      expect(step).toMatchObject({ value });
      expect(output.value).toBe(value === 'found' ? 'yes' : 'no');
      if (value === 'found') expect(step!.quote).toBe('we will send it');
    }
  });

  it('a logic rule reading a node this path did not ask says so', async () => {
    // "task" answers no ([[label:no]]) and routes past "promise" to "decide".
    const nodes = [
      {
        name: 'task',
        type: 'classifier',
        prompt: 'Task?\n{{ text }}',
        labels: ['yes', 'no'],
        routes: { no: 'decide' },
      },
      {
        name: 'promise',
        type: 'classifier',
        prompt: 'Promise?\n{{ text }}',
        labels: ['yes', 'no'],
      },
      {
        name: 'decide',
        type: 'logic',
        rules: [{ when: 'nodes["promise"] != "yes"', label: 'no' }],
        otherwise: 'yes',
      },
    ];
    const output = await run(nodes, 'Caller: hello [[label:no]]');
    expect(output.value).toBe('no');
    const path = (output.trace as { path: { node: string; explanation: string }[] }).path;
    expect(path.map((step) => step.node)).toEqual(['task', 'decide']);
    expect(path[1]!.explanation).toBe(
      'nodes["promise"] != "yes" is true (not asked on this path, so without an answer: promise)',
    );
    expect(output.explanation).toBe(path[1]!.explanation);
  });

  it('a graph ending on a value outside the labels names where the value came from', async () => {
    const text = 'Agent: we will send it. [[quote:we will send it]] [[no]]';
    const endsOn = async (nodes: unknown[], output?: unknown) => {
      const result = await runWith({ nodes, ...(output ? { output } : {}) }, text);
      expect(result).toMatchObject({
        value: null,
        status: 'error',
        error: { code: 'invalid_label' },
      });
      return result.error!.message;
    };
    // No output: the last node's own label is the value ("found" is not yes or no).
    expect(await endsOn([extract])).toBe(
      'the last node "quote" (no output: maps its labels) gave "found", not one of the score\'s labels (yes, no)',
    );
    // An output template reading a node this path did not ask renders "".
    const task = { ...classify('task'), routes: { no: 'quote' } };
    expect(
      await endsOn([task, classify('promise'), extract], { value: '{{ nodes.promise.value }}' }),
    ).toBe(
      'output.value "{{ nodes.promise.value }}" gave "", not one of the score\'s labels (yes, no)',
    );
    // An end route whose template gives another value.
    const routed = {
      ...classify('task'),
      routes: { no: { end: { value: '{{ nodes.task.explanation }}' } } },
    };
    expect(await endsOn([routed, extract])).toMatch(
      /^the end route of node "task" for "no" gave "The text points to no\.", not one of/,
    );
  });
});
