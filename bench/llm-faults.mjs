// LLM under random faults (issue 28): N items, C in flight, latency L, against the test server
// answering 5% 429 (random, not caused by load), 2% 500, 1% malformed and 1% hangs (2 s timeout),
// and the same run without faults (the floor), alternating in one process. Target: the fault run
// >= 0.6x the fault-free items/s. The server runs pinned to core 1 (bench/llm-bench-server.mjs).
// Usage: taskset -c 0 node bench/llm-faults.mjs [items] [C] [L_ms] [rounds]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, parseScorecard } from '@plexus/core';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 5_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 20);
const rounds = Number(process.argv[5] ?? 2);
const faults = { 429: 0.05, 500: 0.02, malformed: 0.01, hang: 0.01 };
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-faults-'));
const data = join(folder, 'items.csv');
writeFileSync(
  data,
  `id,text\n${Array.from({ length: items }, (_, index) => `m${index},message number ${index}`).join('\n')}\n`,
);
process.env.BENCH_KEY = 'bench';

/** One run against a fresh server; items/s, errors, retries. */
async function once(withFaults, round) {
  const { url, stop } = await startBenchServer(latencyMs, {
    faults: withFaults ? faults : undefined,
  });
  const file = join(folder, `card-${withFaults}-${round}.yaml`);
  const source = `name: Faults\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: faults, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, timeout_ms: 2000, max_retries: 10, prompt: "Spam? {{ text }}" }\n`;
  writeFileSync(file, source);
  const scorecard = await parseScorecard(source, { file, plugins: [plugin], cacheDir: folder });
  const started = performance.now();
  const summary = await evaluate({
    scorecard,
    data,
    outDir: join(folder, `run-${withFaults}-${round}`),
    cache: false,
    window: 1024,
    concurrency,
  });
  const seconds = (performance.now() - started) / 1000;
  stop();
  return { rate: items / seconds, seconds, errors: summary.errors, retries: summary.retries };
}

console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
console.log('| round | fault-free items/s | with faults items/s | ratio | errors | retries |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
const ratios = [];
for (let round = 1; round <= rounds; round += 1) {
  const floor = await once(false, round);
  const faulty = await once(true, round);
  ratios.push(faulty.rate / floor.rate);
  console.log(
    `| ${round} | ${floor.rate.toFixed(0)} | ${faulty.rate.toFixed(0)} | ${(faulty.rate / floor.rate).toFixed(2)}x | ${faulty.errors} | ${faulty.retries} |`,
  );
}
ratios.sort((a, b) => a - b);
console.log(
  `median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}x; load average after ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
