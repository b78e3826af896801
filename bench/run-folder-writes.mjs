// What writing results.jsonl costs (issue 21, item 9: a paid line reaches the kernel at once).
// 1. `RunFolder.append` alone: 100,000 free lines (rules: batched) and 100,000 paid lines (one
//    write each), median of N runs.
// 2. What provenance adds to a run: the gold digests of 600,000 lines, the SHA-256 of the dataset.
// 3. `plexus evaluate` end to end: 100,000 items through the six rule scores (600,000 lines).
// Usage: node bench/run-folder-writes.mjs [runs]   (after building core and cli)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoldDigests, hashFile, RunFolder } from '@plexus/core';
import { writeDataset, writeRulesCard } from './transcripts.mjs';

const runs = Number(process.argv[2] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-writes-'));

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function line(index, paid) {
  return {
    item_id: `item-${index}`,
    score: 'Greeting',
    value: 'yes',
    status: 'ok',
    label: 'yes',
    correct: true,
    explanation: 'found "how can i help" in turn 1 (agent)',
    confidence: null,
    cost_usd: paid ? 0.00012 : 0,
    input_tokens: paid ? 310 : 0,
    output_tokens: paid ? 2 : 0,
    llm_calls: paid ? 1 : 0,
    retries: 0,
    latency_ms: 0.01,
    cached: false,
    error: null,
  };
}

async function appendLines(paid) {
  const seconds = [];
  for (let run = 0; run < runs; run += 1) {
    const dir = join(folder, `append-${paid ? 'paid' : 'free'}-${run}`);
    const info = { version: 1, fingerprints: {}, data: { path: 'x' }, status: 'running' };
    const runFolder = await RunFolder.create(dir, info, { path: 'card.yaml', source: '' });
    const started = performance.now();
    for (let index = 0; index < 100_000; index += 1) runFolder.append(line(index, paid));
    await runFolder.close();
    seconds.push((performance.now() - started) / 1000);
    rmSync(dir, { recursive: true, force: true });
  }
  return median(seconds);
}

function goldDigests() {
  const seconds = [];
  const lines = Array.from({ length: 600_000 }, (_, index) => ({
    item_id: `item-${index % 100_000}`,
    score: `Score ${index % 6}`,
    label: index % 3 ? 'no' : 'yes',
  }));
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const digests = new GoldDigests();
    for (const line of lines) digests.add(line);
    digests.result();
    seconds.push((performance.now() - started) / 1000);
  }
  return median(seconds);
}

async function datasetHash(path) {
  const seconds = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await hashFile(path);
    seconds.push((performance.now() - started) / 1000);
  }
  return median(seconds);
}

function evaluateRun(card, data) {
  const seconds = [];
  for (let run = 0; run < runs; run += 1) {
    const out = join(folder, `evaluate-${run}`);
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [cli, 'evaluate', card, '--data', data, '--out', out, '--json', '--no-cache'],
      { encoding: 'utf8' },
    );
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`run failed: ${result.stderr}`);
    rmSync(out, { recursive: true, force: true });
  }
  return median(seconds);
}

const card = join(folder, 'rules.yaml');
writeRulesCard(card);
const data = join(folder, 'items-100k.jsonl');
await writeDataset(data, 100_000);
const free = await appendLines(false);
const paid = await appendLines(true);
const gold = goldDigests();
const hashed = await datasetHash(data);
const evaluated = evaluateRun(card, data);
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; median of ${runs}`,
);
console.log('| case | wall (s) | lines/s |');
console.log('| --- | ---: | ---: |');
console.log(`| append 100,000 free lines | ${free.toFixed(3)} | ${Math.round(100_000 / free)} |`);
console.log(`| append 100,000 paid lines | ${paid.toFixed(3)} | ${Math.round(100_000 / paid)} |`);
console.log(
  `| gold digests of 600,000 lines | ${gold.toFixed(3)} | ${Math.round(600_000 / gold)} |`,
);
console.log(
  `| SHA-256 of the 100,000-item dataset (${(statSync(data).size / 1e6).toFixed(0)} MB) | ${hashed.toFixed(3)} | |`,
);
console.log(
  `| evaluate 100,000 items x 6 rule scores | ${evaluated.toFixed(2)} | ${Math.round(600_000 / evaluated)} |`,
);
rmSync(folder, { recursive: true, force: true });
