import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine, registerSecret } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type TracedCall, tracedCallChars } from './call-trace.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// The first answer of a text marked [[bad]] has no label: the client corrects it once.
let corrected = new Set<string>();
const server = await startTestServer({
  answer: ({ text }) => {
    if (!text.includes('[[bad]]') || corrected.has(text)) return undefined;
    corrected.add(text);
    return 'I cannot tell.';
  },
});
afterAll(() => server.close());
const secret = 'sk-trace-canary-0123456789abcdef';
process.env.PLEXUS_TRACE_KEY = 'local';
registerSecret(secret);

const folder = mkdtempSync(join(tmpdir(), 'plexus-trace-prompts-'));
const model = `model: trace-model\n    base_url: "${server.url}"\n    api_key_env: PLEXUS_TRACE_KEY\n    structured_output: false`;
const card = `name: Traced
scores:
  - name: Spam
    class: llm/classifier
    labels: [spam, ham]
    label_column: gold
    ${model}
    prompt: "Is this spam? {{ text }}"
  - name: Tree
    class: llm/graph
    labels: [spam, ham]
    label_column: gold
    ${model}
    nodes:
      - name: first
        type: classifier
        prompt: "#first {{ text }}"
        labels: [spam, ham]
`;
const long = `[[label:ham]] ${'a long message '.repeat(1500)}`;
const rows = [
  ['1', 'win a prize now [[label:spam]]', 'spam'],
  ['2', `my key is ${secret} [[label:ham]]`, 'ham'],
  ['3', 'call me [[bad]] [[label:ham]]', 'ham'],
  ['4', long, 'ham'],
];
const data = join(folder, 'data.csv');
writeFileSync(
  data,
  `id,text,gold\n${rows.map((row) => row.map((cell) => `"${cell}"`).join(',')).join('\n')}\n`,
);

async function run(name: string, options: { tracePrompts?: boolean; cache?: boolean }) {
  const cacheDir = join(folder, 'cache');
  const scorecard = await parseScorecard(card, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir,
  });
  const summary = await evaluate({
    scorecard,
    data,
    outDir: join(folder, name),
    cacheDir,
    cache: options.cache ?? false,
    tracePrompts: options.tracePrompts,
  });
  const text = readFileSync(join(summary.dir, 'results.jsonl'), 'utf8');
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  const line = (item: string, score: string) =>
    lines.find((entry) => entry.item_id === item && entry.score === score)!;
  return { text, line };
}

function promptsOf(line: ResultLine): TracedCall[] {
  const trace = line.trace as { prompts?: TracedCall[]; path?: { prompts?: TracedCall[] }[] };
  return trace.prompts ?? trace.path?.flatMap((step) => step.prompts ?? []) ?? [];
}

describe('trace.prompts in results.jsonl', () => {
  it('keeps each call’s rendered messages and raw answer, redacted and capped', async () => {
    const { text, line } = await run('with', {});
    const spam = promptsOf(line('1', 'Spam'));
    expect(spam).toHaveLength(1);
    expect(spam[0]!.messages[0]).toEqual({
      role: 'user',
      content: expect.stringMatching(
        /^Is this spam\? win a prize now \[\[label:spam\]\]\n\nReason/,
      ),
    });
    expect(spam[0]!.answer).toBe((line('1', 'Spam').trace as { answers: string[] }).answers[0]);
    const tree = promptsOf(line('1', 'Tree'));
    expect(tree[0]!.messages[0]!.content).toMatch(/^#first win a prize now/);
    // A correction: the second call lists only the corrective message.
    const bad = promptsOf(line('3', 'Spam'));
    expect(bad.map((call) => call.answer)[0]).toBe('I cannot tell.');
    expect(bad[1]).toMatchObject({ continues: true, messages: [{ role: 'user' }] });
    expect(bad[1]!.messages[0]!.content).toMatch(/^That answer has none of the labels/);
    // Secrets in the item text never reach the trace.
    expect(text).not.toContain(secret);
    expect(promptsOf(line('2', 'Spam'))[0]!.messages[0]!.content).toContain('[redacted]');
    // A long prompt is cut to the cap, its end (the instruction) kept.
    const cut = promptsOf(line('4', 'Spam'))[0]!;
    expect(cut.truncated).toBe(true);
    const size = cut.messages.reduce((sum, message) => sum + message.content.length, 0);
    expect(size + cut.answer.length).toBeLessThanOrEqual(tracedCallChars);
    expect(cut.messages[0]!.content).toMatch(/characters cut…\] .*Labels: spam, ham$/s);
    // The item's text once per item (on its first line), capped at 2,000 characters with the
    // whole length.
    const withText = (item: string) =>
      [line(item, 'Spam'), line(item, 'Tree')].filter((entry) => entry.text !== undefined);
    expect(withText('1').map((entry) => entry.text)).toEqual([rows[0]![1]]);
    expect(withText('4')).toHaveLength(1);
    expect(withText('4')[0]!.text).toHaveLength(2000);
    expect(withText('4')[0]!.text_length).toBe(long.length);
  });

  it('keeps them out with tracePrompts: false, cached results too', async () => {
    corrected = new Set();
    await run('cached', { cache: true });
    corrected = new Set();
    const requests = server.stats.requests;
    const { text, line } = await run('without', { tracePrompts: false, cache: true });
    expect(server.stats.requests).toBe(requests); // every answer came from the cache
    expect(text).not.toContain('"prompts"');
    expect((line('1', 'Spam').trace as { answers: string[] }).answers).toHaveLength(1);
    expect((line('1', 'Tree').trace as { path: unknown[] }).path).toHaveLength(1);
  });
});
