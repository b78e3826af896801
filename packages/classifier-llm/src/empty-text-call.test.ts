// An empty text (a relevance filter that kept nothing, an empty transcript) was still sent to the
// model and paid for, its label resting on no evidence. Now nothing is sent: the score's
// `empty_text_label` is the answer when it names one, else the item is a `no_text` error saying
// what to set. The server's request count is checked by hand.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine, type RunMetricsFile } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { showsText } from './empty-text.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ decide: ({ labels }) => labels[0]! });
afterAll(() => server.close());

const common = {
  labels: ['yes', 'no'],
  model: 'gpt-4o-mini',
  base_url: server.url,
  processors: [{ type: 'window', keywords: ['card'], words: 5 }],
};
const classifier = { class: 'llm/classifier', prompt: 'Card replaced?\n{{ text }}' };
const graph = {
  class: 'llm/graph',
  nodes: [{ name: 'card', type: 'classifier', prompt: 'Card?\n{{ text }}', labels: ['yes', 'no'] }],
};

async function run(scores: Record<string, unknown>[]) {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-empty-call-'));
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
  const metrics = JSON.parse(
    readFileSync(join(folder, 'run', 'metrics.json'), 'utf8'),
  ) as RunMetricsFile;
  return { lines, metrics };
}

it('sends nothing for an empty text: empty_text_label is the answer, and says why', async () => {
  server.resetStats();
  const { lines, metrics } = await run([
    { name: 'Classifier', ...classifier, empty_text_label: 'no' },
    { name: 'Graph', ...graph, empty_text_label: 'no' },
  ]);
  // By hand: only "lost" mentions a card: one request per score, none for "balance".
  expect(server.stats.requests).toBe(2);
  expect(metrics.cost.llm_calls).toBe(2);
  for (const line of lines.filter((one) => one.item_id === 'balance')) {
    expect(line).toMatchObject({ status: 'ok', value: 'no', llm_calls: 0, cost_usd: 0 });
    expect(line.explanation).toBe(
      'nothing to read: the text is empty (the processors kept nothing, or the item has no text); empty_text_label gives "no" (no model call)',
    );
  }
  for (const line of lines.filter((one) => one.item_id === 'lost'))
    expect(line).toMatchObject({ status: 'ok', value: 'yes', llm_calls: 1 });
});

it('without empty_text_label, an empty text is a no_text error naming the fix; nothing is sent', async () => {
  server.resetStats();
  const { lines } = await run([
    { name: 'Classifier', ...classifier },
    { name: 'Graph', ...graph },
  ]);
  expect(server.stats.requests).toBe(2);
  const empty = lines.filter((one) => one.item_id === 'balance');
  expect(empty).toHaveLength(2);
  for (const line of empty) {
    expect(line).toMatchObject({ status: 'error', value: null, llm_calls: 0, cost_usd: 0 });
    expect(line.error).toMatchObject({ code: 'no_text', retryable: false });
    expect(line.error!.message).toBe(
      'the text is empty (the processors kept nothing, or the item has no text): nothing was sent to the model. Set empty_text_label to the label an empty text means, or fallback: full on the window or semantic processor to send the whole text',
    );
  }
});

it('refuses an empty_text_label that is not one of the labels', async () => {
  await expect(
    run([{ name: 'Classifier', ...classifier, empty_text_label: 'maybe' }]),
  ).rejects.toThrow(/empty_text_label.*"maybe" is not one of the labels \(yes, no\)/);
});

it('still asks when the prompt does not show the text (an empty one changes nothing)', async () => {
  server.resetStats();
  const { lines } = await run([
    { name: 'Blind', class: 'llm/classifier', prompt: 'Is today a weekday?' },
  ]);
  // By hand: both items asked, the empty one too.
  expect(server.stats.requests).toBe(2);
  for (const line of lines)
    expect(line).toMatchObject({ status: 'ok', value: 'yes', llm_calls: 1 });
});

it('knows the item text by the template variable, not by the word', () => {
  expect(showsText(['Spam? {{ text }}'])).toBe(true);
  expect(showsText(['{{text | upcase}}'])).toBe(true);
  expect(showsText([undefined, "{% if text != '' %}{{ text }}{% endif %}"])).toBe(true);
  // The word in wording, or a metadata field named text, is not the item's text.
  expect(showsText(['Is this text spam? {{ metadata.body }}'])).toBe(false);
  expect(showsText(['{{ metadata.text }}', 'Answer with the text of a label.'])).toBe(false);
});
