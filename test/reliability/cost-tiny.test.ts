// A cost that rounds to $0.0000 is not free: one cheap call (gpt-4o-mini, a short message) costs
// about $0.00002, and the summary, the report and the viewer printed "0.0000", as for a rule
// score that spends nothing. They print "<0.0001" for it, and $0.0000 only for nothing spent.
// The real CLI against the OpenAI-compatible test server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('cost-tiny');
const env = { TINY_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };
const server = await startTestServer({ seed: 5 });
afterAll(() => server.close());

const data = join(dir, 'items.csv');
writeFileSync(data, 'id,text,label\nm1,win a prize [[spam]],spam\n');
const card = join(dir, 'card.yaml');
writeFileSync(
  card,
  `name: Tiny\nscores:\n  - { name: Spam LLM, class: llm/classifier, labels: [spam, ham], label_column: label, model: gpt-4o-mini, base_url: "${server.url}", api_key_env: TINY_KEY, prompt: "Spam? {{ text }}" }\n  - { name: Spam Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [prize] }\n`,
);

describe('a cost below a hundredth of a cent', () => {
  it('is "<0.0001" in the summary and "<$0.0001" in the report; a free rule stays 0.0000', async () => {
    const out = join(dir, 'run');
    const result = await runCli(
      ['evaluate', card, '--data', data, '--out', out, '--no-cache'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    // By hand: the LLM line's cost is what the run spent; it is above 0 and below $0.00005.
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (text) =>
          JSON.parse(text) as {
            score: string;
            cost_usd: number;
            llm_calls: number;
            input_tokens: number;
            output_tokens: number;
          },
      );
    const llm = lines.find((line) => line.score === 'Spam LLM')!;
    expect(llm.llm_calls).toBe(1);
    expect(llm.cost_usd).toBeGreaterThan(0);
    expect(llm.cost_usd).toBeLessThan(0.00005);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.scores['Spam LLM'].cost_usd).toBe(llm.cost_usd);
    expect(metrics.cost.usd).toBe(llm.cost_usd);

    expect(result.stdout).toMatch(/^Spam LLM .* <0\.0001$/m);
    expect(result.stdout).toMatch(/^Spam Words .* 0\.0000$/m);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    // The run's line, the summary row and the score's card.
    expect(report).toContain(
      `cost: &lt;$0.0001 (1 LLM call, ${llm.input_tokens} input + ${llm.output_tokens} output tokens)`,
    );
    expect(report).toContain('<td class="number">&lt;$0.0001</td>');
    expect(report).toContain('<td class="number">$0.0000</td>');
  });
});
