import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { costKit } from './cost-test-kit.js';
import { callCost, modelPrice } from './pricing.js';

// Prices, and models without one, over real HTTP: every LLM call goes to the test server on
// loopback (budgets at any concurrency and graph traces: cost-budgets.test.ts).
const { server, folder, score, card, dataset, lines, metricsOf } = await costKit();
afterAll(() => server.close());

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
