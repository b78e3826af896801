// Convergence under a server cap (BENCHMARKS.md: cap 32 in flight, C=256: converges within 5 s,
// < 2% of requests answered 429 after that). Reads the server's per-second counters.
// Usage: taskset -c 0 node bench/llm-convergence.mjs [items] [C] [cap] [L_ms]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, parseScorecard } from '@plexus/core';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 256);
const cap = Number(process.argv[4] ?? 32);
const latencyMs = Number(process.argv[5] ?? 50);
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-cap-'));
const seconds = [];
const { url, stop } = await startBenchServer(latencyMs, {
  maxInFlight: cap,
  onStats: (stats) =>
    seconds.push({ requests: stats.requests, limited: stats.statuses['429'] ?? 0 }),
});
const data = join(folder, 'items.csv');
writeFileSync(
  data,
  `id,text\n${Array.from({ length: items }, (_, index) => `m${index},message number ${index}`).join('\n')}\n`,
);
const file = join(folder, 'card.yaml');
const source = `name: Cap\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: cap, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, max_retries: 10, prompt: "Spam? {{ text }}" }\n`;
writeFileSync(file, source);
process.env.BENCH_KEY = 'bench';
const scorecard = await parseScorecard(source, { file, plugins: [plugin], cacheDir: folder });
const started = performance.now();
const summary = await evaluate({
  scorecard,
  data,
  outDir: join(folder, 'run'),
  cache: false,
  window: 1024,
  concurrency: 8,
});
const wall = (performance.now() - started) / 1000;
await new Promise((resolve) => setTimeout(resolve, 1500));
stop();
if (summary.errors !== 0 || summary.results !== items)
  throw new Error(`${summary.errors} errors, ${summary.results} results`);
// Per second: requests and 429s (the counters are cumulative).
const perSecond = seconds.map((entry, index) => ({
  requests: entry.requests - (seconds[index - 1]?.requests ?? 0),
  limited: entry.limited - (seconds[index - 1]?.limited ?? 0),
}));
const share = (list) =>
  list.reduce((sum, entry) => sum + entry.limited, 0) /
  Math.max(
    1,
    list.reduce((sum, entry) => sum + entry.requests, 0),
  );
let converged = perSecond.length;
for (let second = perSecond.length - 1; second >= 0; second -= 1) {
  if (share(perSecond.slice(second)) >= 0.02) break;
  converged = second;
}
console.log(
  `| ${items} | ${concurrency} | ${cap} | ${latencyMs} | ${(items / wall).toFixed(0)} | ${(cap / (latencyMs / 1000)).toFixed(0)} | ${(share(perSecond) * 100).toFixed(1)}% | ${(share(perSecond.slice(5)) * 100).toFixed(2)}% | ${converged} s | ${summary.retries} |`,
);
console.log(
  `per second (requests/429): ${perSecond.map((entry) => `${entry.requests}/${entry.limited}`).join(' ')}`,
);
