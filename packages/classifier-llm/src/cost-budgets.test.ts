import { join } from 'node:path';
import { evaluate } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { costKit } from './cost-test-kit.js';

// Budgets at any concurrency, and the cost of llm/graph nodes, over real HTTP: every LLM call
// goes to the test server on loopback (prices: cost.test.ts).
const { server, folder, score, card, dataset, lines, metricsOf } = await costKit();
afterAll(() => server.close());

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
