import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, InvalidConfigError, parseScorecard } from '@plexus/core';
import { describeScoreConformance } from '@plexus/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { graphFactory } from './graph-score.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// Each node's prompt starts with a #tag; the server answers it from the transcript, so the
// graph's path depends on the call as a model's would.
const server = await startTestServer({
  decide: ({ labels, text }) => {
    const lower = text.toLowerCase();
    if (text.startsWith('#task'))
      return /\b(i need|i want|i would like|i'd like|like to)\b/.test(lower) ? 'yes' : 'no';
    if (text.startsWith('#resolved')) return /anything else/.test(lower) ? 'yes' : 'no';
    if (text.startsWith('#quote'))
      return /anything else i can help you with/.test(lower)
        ? 'anything else i can help you with'
        : 'NONE';
    return labels[0] ?? 'NONE';
  },
});
process.env.PLEXUS_GRAPH_KEY = 'local';
afterAll(() => server.close());

const model = { model: 'graph-model', base_url: server.url, api_key_env: 'PLEXUS_GRAPH_KEY' };

describeScoreConformance('llm/graph', {
  factory: graphFactory,
  settings: {
    ...model,
    nodes: [
      { name: 'task', type: 'classifier', prompt: '#task {{ text }}', labels: ['yes', 'no'] },
    ],
  },
  otherSettings: {
    ...model,
    nodes: [
      { name: 'task', type: 'classifier', prompt: '#resolved {{ text }}', labels: ['yes', 'no'] },
    ],
  },
  invalidSettings: { ...model, nodes: [] },
  labels: ['yes', 'no'],
});

const graph = `  - name: Resolved
    class: llm/graph
    labels: ["yes", "no"]
    model: graph-model
    base_url: "${server.url}"
    api_key_env: PLEXUS_GRAPH_KEY
    processors: [{ type: speaker, speakers: [agent, caller] }]
    nodes:
      - name: task
        type: classifier
        prompt: "#task Does the caller state a task?\\n{{ text }}"
        labels: ["yes", "no"]
        routes: { "no": { end: { value: "no", explanation: "the caller states no task" } } }
      - name: quote
        type: extractor
        prompt: "#quote Quote where the agent offers more help.\\n{{ text }}"
      - name: resolved
        type: classifier
        prompt: "#resolved Was the task resolved? The agent said: {{ nodes.quote.quote }}\\n{{ text }}"
        labels: ["yes", "no"]
      - name: decide
        type: logic
        rules: [{ when: 'nodes["resolved"] == "yes" and nodes["quote"] == "found"', label: "yes" }]
        otherwise: "no"
    output: { value: "{{ nodes.decide.value }}", explanation: "{{ nodes.resolved.explanation }}" }
`;

async function problems(yaml: string): Promise<string[]> {
  try {
    await parseScorecard(`name: G\nscores:\n${yaml}`, {
      file: '/tmp/graph.yaml',
      plugins: [plugin],
      cacheDir: '/tmp',
    });
    return [];
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map(
        (problem) => `${problem.line}: ${problem.path}: ${problem.message}`,
      );
    throw error;
  }
}

describe('llm/graph', () => {
  it('reports every graph problem at load, with its place', async () => {
    const found = await problems(`  - name: Bad
    class: llm/graph
    labels: [yes, no]
    model: m
    nodes:
      - name: a
        type: classifier
        prompt: "A {{ text }}"
        labels: [yes, no]
        routes: { maybe: c, "no": { end: { value: perhaps } }, "yes": nowhere }
      - name: b
        type: logic
        rules: [{ when: 'nodes["d"] == "x"', label: "yes" }]
        otherwise: "no"
        routes: { "yes": a }
      - name: c
        type: classifier
        prompt: "C"
        labels: [yes, no]
        routes: { "yes": { end: { value: "yes" } }, "no": { end: { value: "no" } } }
      - name: d
        type: classifier
        prompt: "D"
        labels: [yes, no]
    base_url: http://127.0.0.1:9/v1
`);
    expect(found).toEqual(
      [
        'scores[0].nodes[0].routes.maybe: node "a" cannot give "maybe" (it gives: yes, no)',
        'scores[0].nodes[0].routes.no.end.value: "perhaps" is not one of the score\'s labels (yes, no)',
        'scores[0].nodes[0].routes.yes: unknown node "nowhere" (nodes: a, b, c, d)',
        'scores[0].nodes[1].rules[0].when: nodes["d"] is not a node before "b"',
        'scores[0].nodes[1].routes.yes: "a" does not come after "b": graphs run forward only',
        'scores[0].nodes[3]: node "d" is never reached: no route leads to it and the node before it routes every label',
      ].map((problem, index) => `${[12, 12, 12, 15, 17, 23][index]}: ${problem}`),
    );
  });

  it('runs a relevance filter, a classifier, an extractor and logic over call transcripts, with per-node traces', async () => {
    // 40 Harper Valley Bank calls (shared/data/hvb, Apache-2.0, via the call-center example).
    const data = fileURLToPath(
      new URL('../../../examples/call-center-qa/data/calls.jsonl', import.meta.url),
    );
    const folder = mkdtempSync(join(tmpdir(), 'plexus-graph-'));
    const card = await parseScorecard(`name: Graph QA\nscores:\n${graph}`, {
      file: join(folder, 'card.yaml'),
      plugins: [plugin],
      cacheDir: folder,
    });
    const summary = await evaluate({
      scorecard: card,
      data,
      limit: 40,
      outDir: join(folder, 'run'),
      cache: false,
    });
    expect(summary).toMatchObject({ status: 'completed', items: 40, results: 40, errors: 0 });
    const lines = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const paths = lines.map((line) =>
      line.trace.path
        .map((step: { node: string; value: string }) => `${step.node}=${step.value}`)
        .join(' '),
    );
    // Every call in the sample states a task; whether it ends resolved depends on the quote.
    expect(
      paths.filter((path) => path.startsWith('task=yes quote=found resolved=yes decide=yes'))
        .length,
    ).toBeGreaterThan(10);
    for (const line of lines) {
      const last = line.trace.path.at(-1);
      expect(line.value).toBe(last.node === 'task' ? 'no' : last.value);
      expect(line.llm_calls).toBe(
        line.trace.path.filter((step: { node: string }) => step.node !== 'decide').length,
      );
    }
    const quoted = lines.find((line) =>
      line.trace.path.some((step: { quote?: string }) => step.quote),
    );
    expect(quoted.trace.path[1].quote).toBe('anything else i can help you with');
    expect(server.stats.requests).toBeGreaterThanOrEqual(40);
  });

  it('matches phrases fuzzily without a model call: the greeting with the bank name, misheard or not', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-graph-'));
    const card = await parseScorecard(
      `name: Fuzzy
scores:
  - name: Greeting
    class: llm/graph
    labels: ["yes", "no"]
    ${Object.entries(model)
      .map(([key, value]) => `${key}: ${value}`)
      .join('\n    ')}
    nodes:
      - name: bank
        type: fuzzy
        phrases: [harper valley national bank]
        threshold: 85
        routes: { not_found: { end: { value: "no" } } }
      - name: said
        type: logic
        rules: [{ when: 'nodes["bank"] == "found"', label: "yes" }]
        otherwise: "no"
`,
      { file: join(folder, 'card.yaml'), plugins: [plugin], cacheDir: folder },
    );
    server.resetStats();
    const outputs = await card.scores[0]!.score!.doScore({
      items: [
        'Agent: hello this is harper value national bank how can i help',
        'Agent: hello this is harper valley national bank',
        'Agent: hello how can i help you',
      ].map((text, index) => ({ id: String(index), text, metadata: {}, results: {} })),
      signal: new AbortController().signal,
      context: { scorecard: 'Fuzzy' },
    });
    expect(outputs.map((output) => output.value)).toEqual(['yes', 'yes', 'no']);
    const steps = outputs.map(
      (output) => (output.trace as { path: { quote: string; explanation: string }[] }).path[0]!,
    );
    expect(steps[0]!.quote).toBe('harper value national bank');
    expect(steps[0]!.explanation).toMatch(
      /matches "harper valley national bank" \(similarity 9\d\)/,
    );
    expect(steps[1]!.explanation).toMatch(/similarity 100/);
    expect(steps[2]!.explanation).toMatch(/none of "harper valley national bank" \(threshold 85\)/);
    expect(server.stats.requests).toBe(0);
  });
});
