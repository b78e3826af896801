// An LLM answer re-read from the response cache (the same request asked by an earlier run) when the
// result cache misses (a column added to the dataset since) was counted nowhere: the summary said
// "0 from cache, 0 LLM calls" for items that were scored, and their lines `cached: false`. They are
// results from the cache: `cached: true`, counted in "from cache" and run.json's cache_hits,
// and the server receives no request for them (its own count is the independent check).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterAll, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('response-cache-counts');
const env = { CACHE_COUNT_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };
const server = await startTestServer({ seed: 3 });
afterAll(() => server.close());

const card = join(dir, 'card.yaml');
writeFileSync(
  card,
  `name: Cache Counts\nscores:\n  - { name: Spam LLM, class: llm/classifier, labels: [spam, ham], label_column: label, model: gpt-4o-mini, base_url: "${server.url}", api_key_env: CACHE_COUNT_KEY, prompt: "Spam? {{ text }}" }\n`,
);
const rows = [
  'm1,win a prize [[spam]],spam',
  'm2,see you at six [[ham]],ham',
  'm3,free cash [[spam]],ham',
];
const cacheDir = join(dir, 'cache');

function lines(out: string): { cached: boolean; llm_calls: number; cost_usd: number }[] {
  return readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text));
}

it('answers re-read from the response cache are results from the cache, not nothing', async () => {
  const first = join(dir, 'items.csv');
  writeFileSync(first, `id,text,label\n${rows.join('\n')}\n`);
  const paid = await runCli(
    ['evaluate', card, '--data', first, '--out', join(dir, 'run-1'), '--cache-dir', cacheDir],
    env,
  );
  expect(paid.code, paid.stderr).toBe(0);
  expect(server.stats.requests).toBe(3);
  expect(paid.stdout).toContain('0 from cache, 3 LLM calls');

  // A column added: the result cache misses, every request is the same as before.
  const second = join(dir, 'items-more.csv');
  writeFileSync(second, `id,text,label,channel\n${rows.map((row) => `${row},sms`).join('\n')}\n`);
  const out = join(dir, 'run-2');
  const again = await runCli(
    ['evaluate', card, '--data', second, '--out', out, '--cache-dir', cacheDir],
    env,
  );
  expect(again.code, again.stderr).toBe(0);
  expect(server.stats.requests).toBe(3);
  expect(again.stdout).toContain('3 from cache, 0 LLM calls');
  expect(lines(out).map((line) => [line.cached, line.llm_calls, line.cost_usd])).toEqual([
    [true, 0, 0],
    [true, 0, 0],
    [true, 0, 0],
  ]);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  expect(run.counts.cache_hits).toBe(3);
});
