// Cost you can trust (issue 21): a model without a price costs "unknown", never $0; a budget in
// dollars on it is refused before any call; a tiny budget at --concurrency 16 is never exceeded.
// The real CLI against the OpenAI-compatible test server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('cost');
const env = { COST_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };
const server = await startTestServer({ seed: 3, latencyMs: 40 });
afterAll(() => server.close());

const data = join(dir, 'items.csv');
writeFileSync(
  data,
  `id,text\n${Array.from({ length: 48 }, (_, index) => `m${index},message ${index} [[spam]]`).join('\n')}\n`,
);

function card(name: string, model: string, extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: ${model}, base_url: "${server.url}", api_key_env: COST_KEY, prompt: "Spam? {{ text }}"${extra} }\n`,
  );
  return path;
}

function results(out: string): {
  status: string;
  cost_usd: number | null;
  input_tokens: number;
  output_tokens: number;
  error: { code?: string } | null;
}[] {
  return readFileSync(join(dir, out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text));
}

describe('a model missing from the price table', () => {
  it('costs unknown, not $0.0000: null in results.jsonl and metrics.json, and the summary says how to price it', async () => {
    const result = await runCli(
      [
        'evaluate',
        card('Azure', 'prod-gpt5-deployment'),
        '--data',
        data,
        '--limit',
        '4',
        '--out',
        join(dir, 'azure'),
        '--no-cache',
      ],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Spam .* unknown$/m);
    expect(result.stdout).toContain('cost unknown: no price for openai prod-gpt5-deployment.');
    expect(result.stdout).toContain('pricing: {input_per_million: N, output_per_million: N}');
    for (const line of results('azure')) expect(line.cost_usd).toBeNull();
    const metrics = JSON.parse(readFileSync(join(dir, 'azure', 'metrics.json'), 'utf8'));
    expect(metrics.cost).toMatchObject({
      usd: null,
      unpriced_models: ['openai prod-gpt5-deployment'],
    });
    expect(metrics.scores.Spam).toMatchObject({ cost_usd: null });
  });

  it('refuses --max-usd (exit 2, naming pricing:) before any call; --max-tokens needs no price', async () => {
    server.resetStats();
    const refused = await runCli(
      [
        'evaluate',
        card('Budget', 'prod-gpt5-deployment'),
        '--data',
        data,
        '--max-usd',
        '1',
        '--out',
        join(dir, 'refused'),
        '--no-cache',
      ],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--max-usd needs a price.*pricing:/);
    expect(server.stats.requests).toBe(0);
    const tokens = await runCli(
      [
        'evaluate',
        card('Tokens', 'prod-gpt5-deployment'),
        '--data',
        data,
        '--limit',
        '2',
        '--max-tokens',
        '100000',
        '--out',
        join(dir, 'tokens'),
        '--no-cache',
      ],
      env,
    );
    expect(tokens.code).toBe(0);
  });
});

describe('a tiny budget at --concurrency 16', () => {
  it('$0.0001 on gpt-5-mini is never exceeded; every other item is a budget_exhausted error', async () => {
    server.resetStats();
    const result = await runCli(
      [
        'evaluate',
        card('Tiny', 'gpt-5-mini', ', max_tokens: 16'),
        '--data',
        data,
        '--concurrency',
        '16',
        '--max-usd',
        '0.0001',
        '--max-error-rate',
        '1',
        '--out',
        join(dir, 'tiny'),
        '--no-cache',
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = results('tiny');
    expect(lines).toHaveLength(48);
    const answered = lines.filter((line) => line.status === 'ok');
    const refused = lines.filter((line) => line.status === 'error');
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length + refused.length).toBe(48);
    for (const line of refused) expect(line.error?.code).toBe('budget_exhausted');
    expect(server.stats.requests).toBe(answered.length);
    // By hand at gpt-5-mini's price: $0.25 per million input tokens, $2 per million output.
    const spent = answered.reduce(
      (sum, line) => sum + (line.input_tokens * 0.25 + line.output_tokens * 2) / 1e6,
      0,
    );
    expect(spent).toBeLessThanOrEqual(0.0001);
    const metrics = JSON.parse(readFileSync(join(dir, 'tiny', 'metrics.json'), 'utf8'));
    expect(metrics.cost.usd).toBeCloseTo(spent, 15);
  });
});
