// LLM throughput: 10,000 items, one llm/classifier score, C requests in flight, server latency L.
// The physical limit is C / L items per second (BENCHMARKS.md: >= 95% of it). Then the same run
// again with a warm cache (BENCHMARKS.md: >= 20,000 items/s, 0 calls).
// Usage: taskset -c 0 node bench/llm-throughput.mjs [items] [C] [L_ms]   (after `pnpm build`)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, parseScorecard } from '@plexus/core';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
// Inside the repository, so that the CLI finds the plugin packages from the scorecard's folder.
const cacheRoot = fileURLToPath(new URL('./.cache', import.meta.url));
mkdirSync(cacheRoot, { recursive: true });
const folder = mkdtempSync(join(cacheRoot, 'bench-llm-'));
let serverRequests = 0;
const { url, stop } = await startBenchServer(latencyMs, {
  onStats: (stats) => {
    serverRequests = stats.requests;
  },
});
const data = join(folder, 'items.csv');
writeFileSync(
  data,
  `id,text\n${Array.from({ length: items }, (_, index) => `m${index},message number ${index}`).join('\n')}\n`,
);
const file = join(folder, 'card.yaml');
const source = `name: Throughput\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: bench, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, prompt: "Spam? {{ text }}" }\n`;
writeFileSync(file, source);
process.env.BENCH_KEY = 'bench';
const scorecard = await parseScorecard(source, { file, plugins: [plugin], cacheDir: folder });
const cacheDir = join(folder, 'cache');
const run = (name) =>
  evaluate({
    scorecard,
    data,
    outDir: join(folder, name),
    cache: name !== 'nocache',
    cacheDir,
    window: 1024,
    concurrency: 8,
  });
const cpuBefore = process.cpuUsage();
const started = performance.now();
// BENCH_NO_CACHE=1: the cold run without the result and response caches (no disk writes).
const summary = await run(process.env.BENCH_NO_CACHE ? 'nocache' : 'cold');
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
if (summary.errors !== 0 || summary.results !== items)
  throw new Error(`${summary.errors} errors, ${summary.results} results`);
const limit = concurrency / (latencyMs / 1000);
const rate = items / seconds;
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}`,
);
console.log(
  `| items | C | L (ms) | C/L (items/s) | items/s | % of C/L | client CPU per item (ms) |`,
);
console.log(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
console.log(
  `| ${items} | ${concurrency} | ${latencyMs} | ${limit.toFixed(0)} | ${rate.toFixed(0)} | ${((rate / limit) * 100).toFixed(1)} | ${((cpu.user + cpu.system) / 1000 / items).toFixed(3)} |`,
);
if (process.env.BENCH_NO_CACHE) {
  stop();
  process.exit(0);
}
await new Promise((resolve) => setTimeout(resolve, 1500)); // the server's counter, once a second
const requestsCold = serverRequests;
const warmStarted = performance.now();
const warm = await run('warm');
const warmSeconds = (performance.now() - warmStarted) / 1000;
await new Promise((resolve) => setTimeout(resolve, 1500));
if (warm.results !== items || warm.cacheHits !== items)
  throw new Error(`warm run: ${warm.results} results, ${warm.cacheHits} from cache`);
console.log(
  `warm cache: ${(items / warmSeconds).toFixed(0)} items/s, ${warm.llmCalls} LLM calls, ${serverRequests - requestsCold} requests seen by the server`,
);
// The same re-run as a user makes it: a new `plexus evaluate` process, wall time from spawn to exit
// (Node start, loading the scorecard, indexing the cache, scoring, metrics and report).
const cli = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const processStarted = performance.now();
const rerun = spawnSync(
  process.execPath,
  [
    cli,
    'evaluate',
    file,
    '--data',
    data,
    '--cache-dir',
    cacheDir,
    '--out',
    join(folder, 'cli'),
    '--json',
    '--quiet',
  ],
  { encoding: 'utf8', env: process.env },
);
const processSeconds = (performance.now() - processStarted) / 1000;
const cliSummary = JSON.parse(rerun.stdout || '{}');
if (rerun.status !== 0 || cliSummary.cacheHits !== items)
  throw new Error(`plexus evaluate re-run: exit ${rerun.status}, ${rerun.stderr}`);
console.log(
  `warm cache, new plexus evaluate process: ${processSeconds.toFixed(2)} s wall, ${(items / processSeconds).toFixed(0)} items/s, ${cliSummary.llmCalls} LLM calls`,
);
stop();
if (process.env.BENCH_KEEP) console.log(`kept ${folder}`);
else rmSync(folder, { recursive: true, force: true });
