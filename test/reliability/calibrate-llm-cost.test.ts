// calibrate scores every labelled item first: on an LLM score one call per item, and it printed
// neither the calls nor their cost. It prints both; the calls are the server's own count.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterAll, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('calibrate-llm-cost');
const server = await startTestServer({ seed: 2 });
afterAll(() => server.close());
const rows = Array.from({ length: 16 }, (_, index) =>
  index % 2
    ? `m${index},win a prize ${index} [[spam]],spam`
    : `m${index},see you ${index} [[ham]],ham`,
);
writeFileSync(join(dir, 'data.csv'), `id,text,label\n${rows.join('\n')}\n`);
const card = join(dir, 'card.yaml');
writeFileSync(
  card,
  `name: Spam\ndata: { path: data.csv }\nscores:\n  - { name: Spam LLM, class: llm/classifier, labels: [spam, ham], label_column: label, model: gpt-4o-mini, base_url: "${server.url}", api_key_env: CALIBRATE_COST_KEY, logprobs: true, prompt: "Spam? {{ text }}" }\n`,
);

it('prints the calls and the cost of scoring the data', async () => {
  const env = { CALIBRATE_COST_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };
  const args = ['calibrate', card, '--score', 'Spam LLM', '--cache-dir', join(dir, 'cache')];
  const run = await runCli(args, env);
  expect(run.code, run.stderr).toBe(0);
  expect(server.stats.requests).toBe(16);
  expect(run.stdout).toMatch(/scoring the data: 16 LLM calls, (\$0\.\d{4}|<\$0\.0001)\n/);
});
