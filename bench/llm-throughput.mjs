// LLM throughput: 10,000 items, one llm/classifier score, C requests in flight, server latency L.
// The physical limit is C / L items per second (BENCHMARKS.md: >= 95% of it).
// Usage: node bench/llm-throughput.mjs [items] [C] [L_ms]   (after `pnpm build`)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, parseScorecard } from '@plexus/core';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const here = fileURLToPath(new URL('.', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-llm-'));

// The server on core 1, this process on core 0.
const server = spawn(
  'taskset',
  ['-c', '1', process.execPath, join(here, 'llm-server.mjs'), String(latencyMs)],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve) =>
  createInterface({ input: server.stdout }).once('line', resolve),
);
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
const cpuBefore = process.cpuUsage();
const started = performance.now();
const summary = await evaluate({
  scorecard,
  data,
  outDir: join(folder, 'run'),
  cache: false,
  window: 1024,
  concurrency: 8,
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
server.kill('SIGTERM');
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
