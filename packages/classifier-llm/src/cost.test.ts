import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evaluate,
  type LoadScorecardOptions,
  parseScorecard,
  type ResultLine,
  type RunMetricsFile,
} from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { callCost, modelPrice } from './pricing.js';
import { startTestServer } from './testing/openai-test-server.js';

// Real HTTP: every LLM call below goes to this OpenAI-compatible server on loopback.
const server = await startTestServer({ seed: 21, latencyMs: 40 });
process.env.PLEXUS_COST_TEST_KEY = 'sk-cost-test';
afterAll(() => server.close());

const folder = mkdtempSync(join(tmpdir(), 'plexus-cost-'));

function score(name: string, settings: Record<string, unknown>): string {
  return JSON.stringify({
    name,
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    base_url: server.url,
    api_key_env: 'PLEXUS_COST_TEST_KEY',
    prompt: `${name}: is this spam?\n{{ text }}`,
    ...settings,
  });
}

function card(scores: string[], options: Partial<LoadScorecardOptions> = {}) {
  return parseScorecard(
    `name: Cost\nscores:\n${scores.map((entry) => `  - ${entry}\n`).join('')}`,
    {
      file: join(folder, 'card.yaml'),
      plugins: [plugin],
      cacheDir: folder,
      cache: false,
      ...options,
    },
  );
}

function dataset(count: number): string {
  const path = join(folder, `items-${count}.csv`);
  const rows = Array.from({ length: count }, (_, index) => `m${index},message ${index} [[spam]]`);
  writeFileSync(path, `id,text\n${rows.join('\n')}\n`);
  return path;
}

function lines(dir: string): ResultLine[] {
  return readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
}

function metricsOf(dir: string): RunMetricsFile {
  return JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as RunMetricsFile;
}

describe('the price table', () => {
  it('prices the current OpenAI models (dated names too) and leaves other names unknown, never 0', () => {
    const openai = (model: string) => modelPrice({ provider: 'openai', model });
    expect(openai('gpt-5-mini')).toEqual({ input: 0.25, cachedInput: 0.025, output: 2 });
    expect(openai('gpt-5-mini-2025-08-07')).toEqual(openai('gpt-5-mini'));
    for (const model of [
      'gpt-5.5',
      'gpt-5.4-mini',
      'gpt-5',
      'gpt-5-nano',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4.1-nano',
      'gpt-4o',
      'gpt-4o-mini-2024-07-18',
      'o3',
      'o4-mini',
    ])
      expect(openai(model), model).toBeDefined();
    // An Azure deployment name, a Hugging Face model: unknown, not free.
    expect(openai('prod-gpt5-deployment')).toBeUndefined();
    // A deployment named like an Object.prototype key is unknown too, not a function.
    for (const model of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(openai(model), model).toBeUndefined();
    expect(
      modelPrice({ provider: 'huggingface', model: 'meta-llama/Llama-3.1-8B-Instruct' }),
    ).toBeUndefined();
    // A local model is free: "none", not "unknown".
    expect(modelPrice({ provider: 'llama-cpp', model: 'gemma.gguf' })).toEqual({
      input: 0,
      output: 0,
    });
    expect(
      modelPrice({
        provider: 'openai',
        model: 'prod-gpt5-deployment',
        pricing: { input_per_million: 3, output_per_million: 7 },
      }),
    ).toEqual({ input: 3, output: 7 });
  });

  it('bills cached input at the cached price and gives null, not 0, without a price', () => {
    // By hand: 600 fresh input tokens at $0.25/M, 400 cached at $0.025/M, 100 output at $2/M.
    expect(
      callCost(modelPrice({ provider: 'openai', model: 'gpt-5-mini' }), {
        input: 1000,
        cached: 400,
        output: 100,
      }),
    ).toBeCloseTo((600 * 0.25 + 400 * 0.025 + 100 * 2) / 1e6, 15);
    expect(callCost(undefined, { input: 10, output: 10 })).toBeNull();
    expect(callCost({ input: 0, output: 0 }, { input: 10, output: 10 })).toBe(0);
  });
});

describe('a model without a price', () => {
  it('costs null in results.jsonl and metrics.json, per score and for the run, naming the model', async () => {
    const loaded = await card([
      score('Azure', { model: 'prod-gpt5-deployment' }),
      score('Priced', { model: 'gpt-4o-mini' }),
    ]);
    const dir = join(folder, 'unpriced');
    const summary = await evaluate({
      scorecard: loaded,
      data: dataset(6),
      outDir: dir,
      cache: false,
    });
    expect(summary).toMatchObject({ status: 'completed', results: 12, errors: 0 });
    expect(summary.costUsd).toBeNull();
    expect(summary.unpricedModels).toEqual(['openai prod-gpt5-deployment']);

    const results = lines(dir);
    const azure = results.filter((line) => line.score === 'Azure');
    const priced = results.filter((line) => line.score === 'Priced');
    expect(azure).toHaveLength(6);
    for (const line of azure) {
      expect(line.llm_calls).toBe(1);
      expect(line.cost_usd).toBeNull();
      expect(line.unpriced_model).toBe('openai prod-gpt5-deployment');
    }
    // The priced score, by hand from the table: gpt-4o-mini $0.15/M input, $0.60/M output.
    let expected = 0;
    for (const line of priced) {
      const cost = (line.input_tokens * 0.15 + line.output_tokens * 0.6) / 1e6;
      expect(line.cost_usd).toBeCloseTo(cost, 15);
      expect(line.unpriced_model).toBeUndefined();
      expected += cost;
    }

    const metrics = metricsOf(dir);
    expect(metrics.cost.usd).toBeNull();
    expect(metrics.cost.unpriced_models).toEqual(['openai prod-gpt5-deployment']);
    expect(metrics.scores.Azure!.cost_usd).toBeNull();
    expect(metrics.scores.Azure!.unpriced_models).toEqual(['openai prod-gpt5-deployment']);
    expect(metrics.scores.Priced!.cost_usd).toBeCloseTo(expected, 15);
    expect(metrics.scores.Priced!.unpriced_models).toEqual([]);
    // The report says "unknown" where the dollars would be.
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(
      'unknown (no price for openai prod-gpt5-deployment)',
    );
  });

  it('is priced by pricing: on the score', async () => {
    const loaded = await card([
      score('Azure', {
        model: 'prod-gpt5-deployment',
        pricing: { input_per_million: 1, output_per_million: 4 },
      }),
    ]);
    const dir = join(folder, 'overridden');
    const summary = await evaluate({
      scorecard: loaded,
      data: dataset(3),
      outDir: dir,
      cache: false,
    });
    const results = lines(dir);
    const expected = results.reduce(
      (sum, line) => sum + (line.input_tokens * 1 + line.output_tokens * 4) / 1e6,
      0,
    );
    expect(expected).toBeGreaterThan(0);
    expect(summary.costUsd).toBeCloseTo(expected, 15);
    expect(metricsOf(dir).cost).toMatchObject({ unpriced_models: [] });
  });
});

describe('a budget in dollars on a model without a price', () => {
  const problemsOf = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as { problems?: { message: string }[]; message: string } | undefined;
    return error;
  };

  it("is a load-time error naming pricing:, for the score's budget and for --max-usd", async () => {
    const own = await problemsOf(
      card([score('Azure', { model: 'prod-gpt5-deployment', budget: { max_usd: 1 } })]),
    );
    expect(own?.message).toMatch(/budget\.max_usd.*needs a price.*add pricing:/s);
    expect(own?.message).toContain('prod-gpt5-deployment');

    const run = await problemsOf(
      card([score('Azure', { model: 'prod-gpt5-deployment' })], { runBudget: { maxUsd: 1 } }),
    );
    expect(run?.message).toMatch(/--max-usd needs a price.*add pricing:/s);
  });

  it('is fine in tokens, or with a price from the table or from pricing:', async () => {
    await expect(
      card([score('Azure', { model: 'prod-gpt5-deployment' })], { runBudget: { maxTokens: 10 } }),
    ).resolves.toBeDefined();
    await expect(
      card([score('Table', { model: 'gpt-5-mini', budget: { max_usd: 1 } })], {
        runBudget: { maxUsd: 1 },
      }),
    ).resolves.toBeDefined();
    await expect(
      card(
        [
          score('Priced', {
            model: 'prod-gpt5-deployment',
            pricing: { input_per_million: 1, output_per_million: 1 },
            budget: { max_usd: 1 },
          }),
        ],
        { runBudget: { maxUsd: 1 } },
      ),
    ).resolves.toBeDefined();
  });

  it('llm/hf-task, billed by compute time and reporting no tokens, refuses every budget', async () => {
    const hf = JSON.stringify({
      name: 'Topic',
      class: 'llm/hf-task',
      task: 'zero-shot-classification',
      model: 'facebook/bart-large-mnli',
      base_url: server.url,
      labels: ['a', 'b'],
    });
    for (const runBudget of [{ maxUsd: 1 }, { maxTokens: 1000 }]) {
      const error = await problemsOf(card([hf], { runBudget }));
      expect(error?.message).toMatch(/compute time.*report no tokens.*--max-usd\/--max-tokens/s);
    }
    const own = await problemsOf(
      card([hf.replace('"labels"', '"budget":{"max_tokens":100},"labels"')]),
    );
    expect(own?.message).toMatch(/budget: Hugging Face bills llm\/hf-task calls by compute time/);
  });
});

describe('budgets hold at any concurrency', () => {
  async function budgetedRun(name: string, maxUsd: number, items: number) {
    server.resetStats();
    const loaded = await card([score(name, { model: 'gpt-5-mini', max_tokens: 16 })], {
      requestConcurrency: 16,
      runBudget: { maxUsd },
    });
    const dir = join(folder, name);
    const summary = await evaluate({
      scorecard: loaded,
      data: dataset(items),
      outDir: dir,
      cache: false,
      concurrency: 16,
    });
    return { summary, results: lines(dir), dir };
  }

  it.each([
    ['Tiny', 0.0001],
    ['Small', 0.0006],
  ])(
    '%s: $%s at --concurrency 16 is never exceeded; the other items are budget_exhausted errors',
    async (name, maxUsd) => {
      const items = 48;
      const { summary, results, dir } = await budgetedRun(name, maxUsd, items);
      expect(summary.status).toBe('completed');
      // Every item accounted for: answered, or refused before its call.
      expect(results).toHaveLength(items);
      const answered = results.filter((line) => line.status === 'ok');
      const refused = results.filter((line) => line.status === 'error');
      expect(answered.length + refused.length).toBe(items);
      for (const line of refused) {
        expect(line.error?.code).toBe('budget_exhausted');
        expect(line.llm_calls).toBe(0);
      }
      expect(answered.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      // Only answered items reached the server: no call was paid and left out.
      expect(server.stats.requests).toBe(answered.length);
      // Spent, by hand from the tokens at gpt-5-mini's price ($0.25/M input, $2/M output).
      const spent = answered.reduce(
        (sum, line) => sum + (line.input_tokens * 0.25 + line.output_tokens * 2) / 1e6,
        0,
      );
      expect(spent).toBeLessThanOrEqual(maxUsd);
      expect(summary.costUsd).toBeCloseTo(spent, 15);
      expect(metricsOf(dir).cost.usd).toBeCloseTo(spent, 15);
      // The budget is used, not left idle: what remains is less than two calls' cost.
      const largest = Math.max(...answered.map((line) => line.cost_usd ?? 0));
      expect(maxUsd - spent).toBeLessThan(2 * largest);
    },
  );
});

describe('llm/graph traces', () => {
  it('carry calls, tokens and cost per node, adding up to the result', async () => {
    const graph = (name: string, model: string) =>
      JSON.stringify({
        name,
        class: 'llm/graph',
        labels: ['yes', 'no'],
        model,
        base_url: server.url,
        api_key_env: 'PLEXUS_COST_TEST_KEY',
        nodes: [
          {
            name: 'ask',
            type: 'classifier',
            prompt: '{{ text }} [[label:yes]]',
            labels: ['yes', 'no'],
          },
          { name: 'quote', type: 'extractor', prompt: 'Quote it. {{ text }} [[answer:message]]' },
          {
            name: 'decide',
            type: 'logic',
            rules: [{ when: 'nodes["ask"] == "yes"', label: 'yes' }],
            otherwise: 'no',
          },
        ],
      });
    const loaded = await card([
      graph('Priced', 'gpt-4.1-nano'),
      graph('Unpriced', 'my-graph-model'),
    ]);
    const dir = join(folder, 'graph');
    await evaluate({ scorecard: loaded, data: dataset(2), outDir: dir, cache: false });
    type Step = {
      node: string;
      usage?: {
        calls: number;
        input_tokens: number;
        output_tokens: number;
        cost_usd: number | null;
      };
    };
    for (const line of lines(dir)) {
      expect(line.status).toBe('ok');
      const path = (line.trace as { path: Step[] }).path;
      expect(path.map((step) => step.node)).toEqual(['ask', 'quote', 'decide']);
      // The logic node asks no model: no usage.
      expect(path[2]!.usage).toBeUndefined();
      const asked = path.slice(0, 2).map((step) => step.usage!);
      for (const usage of asked) expect(usage.calls).toBe(1);
      expect(asked.reduce((sum, usage) => sum + usage.input_tokens, 0)).toBe(line.input_tokens);
      expect(asked.reduce((sum, usage) => sum + usage.output_tokens, 0)).toBe(line.output_tokens);
      if (line.score === 'Unpriced') {
        for (const usage of asked) expect(usage.cost_usd).toBeNull();
        expect(line.cost_usd).toBeNull();
        continue;
      }
      // By hand: gpt-4.1-nano $0.10/M input, $0.40/M output.
      for (const usage of asked)
        expect(usage.cost_usd).toBeCloseTo(
          (usage.input_tokens * 0.1 + usage.output_tokens * 0.4) / 1e6,
          15,
        );
      expect(line.cost_usd).toBeCloseTo(
        asked.reduce((sum, usage) => sum + usage.cost_usd!, 0),
        15,
      );
    }
  });
});
