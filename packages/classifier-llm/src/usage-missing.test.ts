// An OpenAI-compatible server that sends no `usage`: the tokens are unknown, so the cost of a
// priced model is unknown (null, naming why), never $0; a free model still costs 0.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine, type RunMetricsFile } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ usage: false });
afterAll(() => server.close());

it('costs null in results.jsonl and metrics.json when the answers carry no usage', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-no-usage-'));
  const score = (name: string, settings: Record<string, unknown>) =>
    `  - ${JSON.stringify({ name, class: 'llm/classifier', labels: ['spam', 'ham'], base_url: server.url, prompt: `${name}\n{{ text }}`, ...settings })}\n`;
  const card = await parseScorecard(
    `name: U\nscores:\n${score('Priced', { model: 'gpt-4o-mini' })}${score('Free', { model: 'my-local', pricing: { input_per_million: 0, output_per_million: 0 } })}`,
    { file: join(folder, 'card.yaml'), plugins: [plugin], cacheDir: folder, cache: false },
  );
  const data = join(folder, 'items.csv');
  writeFileSync(data, 'id,text\na,win a prize [[spam]]\nb,lunch at one [[ham]]\nc,hi [[ham]]\n');
  const outDir = join(folder, 'run');
  const summary = await evaluate({ scorecard: card, data, outDir, cache: false });
  expect(summary).toMatchObject({ status: 'completed', results: 6, errors: 0 });

  const lines = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  const priced = lines.filter((line) => line.score === 'Priced');
  expect(priced.map((line) => line.value)).toEqual(['spam', 'ham', 'ham']);
  for (const line of lines) {
    // Tokens: unknown (was 0 + 0), a free model's too; counted when reported, never guessed.
    expect(line.tokens_unknown).toBe(true);
    expect([line.input_tokens, line.output_tokens]).toEqual([0, 0]);
  }
  for (const line of priced) {
    expect(line.llm_calls).toBe(1);
    expect(line.cost_usd).toBeNull(); // was 0: $0 for three paid calls
    expect(line.unpriced_model).toBe(
      'openai gpt-4o-mini (its endpoint reported no token usage: tokens and cost unknown)',
    );
  }
  // Free is free whatever the tokens.
  for (const line of lines.filter((line) => line.score === 'Free')) {
    expect(line.cost_usd).toBe(0);
    expect(line.unpriced_model).toBeUndefined();
  }
  const metrics = JSON.parse(readFileSync(join(outDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
  expect(metrics.cost.usd).toBeNull();
  // Unknown tokens are not 0 tokens: null, with the results that did not report them counted.
  expect(metrics.cost).toMatchObject({
    input_tokens: null,
    output_tokens: null,
    tokens_unknown_results: 6,
  });
  expect(metrics.scores.Free).toMatchObject({
    input_tokens: null,
    output_tokens: null,
    tokens_unknown_results: 3,
  });
  expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain(
    'tokens unknown: some calls of 6 results did not report theirs',
  );
  expect(metrics.cost.unpriced_models).toEqual([
    'openai gpt-4o-mini (its endpoint reported no token usage: tokens and cost unknown)',
  ]);
});

it('keeps a budget when the answers carry no usage: each call counts its worst case', async () => {
  const reporting = await startTestServer();
  try {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-no-usage-budget-'));
    const run = async (url: string, budget: number | undefined) => {
      const score = {
        name: 'B',
        class: 'llm/classifier',
        labels: ['spam', 'ham'],
        model: 'gpt-4o-mini',
        base_url: url,
        prompt: 'Spam?\n{{ text }}',
        max_tokens: 64,
        ...(budget === undefined ? {} : { budget: { max_tokens: budget } }),
      };
      const card = await parseScorecard(`name: U\nscores:\n  - ${JSON.stringify(score)}\n`, {
        file: join(folder, 'card.yaml'),
        plugins: [plugin],
        cacheDir: folder,
        cache: false,
      });
      const data = join(folder, 'items.csv');
      const rows = Array.from({ length: 10 }, (_, index) => `m${index},message ${index} [[ham]]`);
      writeFileSync(data, `id,text\n${rows.join('\n')}\n`);
      const outDir = join(folder, `run-${url === server.url ? 'silent' : 'reporting'}`);
      await evaluate({ scorecard: card, data, outDir, cache: false });
      return readFileSync(join(outDir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ResultLine);
    };
    // What one call really spends, as a server that reports usage counts it (the same requests).
    const reported = await run(reporting.url, undefined);
    const perCall = Math.max(...reported.map((line) => line.input_tokens + line.output_tokens));
    const budget = 4 * perCall;
    server.resetStats();
    const lines = await run(server.url, budget);
    const answered = lines.filter((line) => line.status === 'ok').length;
    expect(server.stats.requests).toBe(answered);
    // Spent, by hand: the calls sent times what each really spends, within the budget.
    expect(server.stats.requests * perCall).toBeLessThanOrEqual(budget);
    expect(answered).toBeGreaterThan(0);
    const exhausted = lines.filter((line) => line.error?.code === 'budget_exhausted');
    expect(answered + exhausted.length).toBe(10); // every item a result or a reported error
  } finally {
    await reporting.close();
  }
});
