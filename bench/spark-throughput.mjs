// Spark local[2] vs in-process, LLM workload: N items, one llm/classifier score, C requests in
// flight in total (in-process: C; Spark: max_concurrency C for the job, divided among its 2
// tasks), server latency L on core 1. With `rules` as 4th argument: one heuristic/keywords score
// and no server instead.
// Usage: node bench/spark-throughput.mjs [items] [C] [L_ms] [rules]   (after `pnpm build`)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, loadScorecard } from '@plexus/core';
import { runOnSpark } from '@plexus/spark-runner';
import { localSpark } from '@plexus/spark-runner/testing';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const rules = process.argv[5] === 'rules';
const here = fileURLToPath(new URL('.', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-spark-'));
const server = spawn(
  'taskset',
  ['-c', '1', process.execPath, join(here, 'llm-server.mjs'), String(latencyMs)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise((resolve) =>
  createInterface({ input: server.stdout }).once('line', resolve),
);
const data = join(folder, 'items.jsonl');
writeFileSync(
  data,
  `${Array.from({ length: items }, (_, index) => JSON.stringify({ id: `m${index}`, text: `message number ${index}` })).join('\n')}\n`,
);
process.env.BENCH_KEY = 'bench';

async function card(name, limit) {
  const file = join(folder, `${name}.yaml`);
  const score = rules
    ? '{ name: Spam, class: heuristic/keywords, labels: [spam, ham], phrases: [number 1, number 7, free] }'
    : `{ name: Spam, class: llm/classifier, labels: [spam, ham], model: bench, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${limit}, prompt: "Spam? {{ text }}" }`;
  writeFileSync(file, `name: ${name}\nscores:\n  - ${score}\n`);
  return loadScorecard(file, {
    plugins: [plugin, heuristic],
    cacheDir: join(folder, `cache-${name}`),
  });
}

let started = performance.now();
const local = await evaluate({
  scorecard: await card('local', concurrency),
  data,
  outDir: join(folder, 'local'),
  cache: false,
  window: 1024,
  concurrency: 8,
});
const localS = (performance.now() - started) / 1000;
const { sparkSubmit } = localSpark();
started = performance.now();
const spark = await runOnSpark({
  // The job's limit: each of the 2 tasks keeps half (see spark-runner's README).
  scorecard: await card('spark', concurrency),
  input: data,
  output: join(folder, 'spark-out'),
  runDir: join(folder, 'spark-run'),
  partitions: 2,
  sparkSubmit,
  cacheDir: join(folder, 'cache-spark'),
  // BENCH_VERBOSE=1: Spark's and the job's lines with seconds since submit (where the time goes).
  onOutput: process.env.BENCH_VERBOSE
    ? (line) => console.error(`${((performance.now() - started) / 1000).toFixed(1)} ${line}`)
    : undefined,
});
const sparkS = (performance.now() - started) / 1000;
server.kill('SIGTERM');
console.log(
  `| ${rules ? 'rules' : 'LLM'} | ${items} | ${concurrency} | ${latencyMs} | ${(local.items / localS).toFixed(0)} (${localS.toFixed(1)} s) | ${(spark.items / sparkS).toFixed(0)} (${sparkS.toFixed(1)} s) | ${(localS / sparkS).toFixed(2)} | ${local.errors}/${spark.errors} |`,
);
