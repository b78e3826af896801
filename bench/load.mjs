// Load (issue 11): 1,000,000 generated transcripts through a rule scorecard (bounded memory), and
// 100,000 items through the LLM test server with faults on. Every item must end with its results
// (ok or a reported error): items lost and crashes are counted, and must be 0.
// Usage: node bench/load.mjs [rules|llm|both] [rule items] [llm items]   (after `pnpm build`)
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { writeDataset } from './transcripts.mjs';

const which = process.argv[2] ?? 'both';
const ruleItems = Number(process.argv[3] ?? 1_000_000);
const llmItems = Number(process.argv[4] ?? 100_000);
const root = fileURLToPath(new URL('..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-load-'));

/** Runs the CLI from bench/ (score packages resolve from here); peak RSS from rss-report.mjs. */
function run(args, env = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', join(here, 'rss-report.mjs'), cli, ...args],
      {
        cwd: here,
        env: { ...process.env, MLFLOW_TRACKING_URI: '', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        peakMiB: Number(/PEAK_RSS_KIB (\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024,
      }),
    );
  });
}

/** Distinct (item, score) pairs and statuses in results.jsonl, streamed. */
async function stored(dir) {
  const pairs = new Set();
  const items = new Set();
  const statuses = {};
  let lines = 0;
  for await (const text of createInterface({
    input: createReadStream(join(dir, 'results.jsonl')),
  })) {
    const line = JSON.parse(text);
    lines += 1;
    pairs.add(`${line.item_id}\u0000${line.score}`);
    items.add(line.item_id);
    statuses[line.status] = (statuses[line.status] ?? 0) + 1;
  }
  return { lines, pairs: pairs.size, items: items.size, statuses };
}

const rows = [];

// 1. Rules over a million transcripts.
if (which !== 'llm') await rulesScenario();
if (which !== 'rules') await llmScenario();

async function rulesScenario() {
  const transcripts = join(folder, 'transcripts.jsonl');
  await writeDataset(transcripts, ruleItems);
  const rulesCard = join(folder, 'rules.yaml');
  writeFileSync(
    rulesCard,
    `name: Load Rules\nscores:\n  - { name: Greeting, class: heuristic/keywords, labels: [yes, no], phrases: [thank you for calling, harper valley], speaker: agent }\n  - { name: Card, class: heuristic/regex, labels: [yes, no], patterns: ['card ending in \\\\d{4}'] }\n  - { name: Both, class: heuristic/logic, labels: [yes, no], depends_on: [Greeting, Card], rules: [{ when: 'results["Greeting"] == "yes" and results["Card"] == "yes"', label: 'yes' }], otherwise: 'no' }\n`,
  );
  const rules = await run([
    'evaluate',
    rulesCard,
    '--data',
    transcripts,
    '--out',
    join(folder, 'rules-run'),
    '--no-cache',
    '--quiet',
  ]);
  const rulesStored = await stored(join(folder, 'rules-run'));
  rows.push({
    scenario: 'rule scorecard (keywords, regex, logic), generated transcripts',
    items: ruleItems,
    faults: 'none',
    stored: rulesStored,
    scores: 3,
    result: rules,
  });
}

// 2. An LLM score against the test server with faults on.
async function llmScenario() {
  const server = await startTestServer({
    latencyMs: 5,
    faults: { 429: 0.05, 500: 0.02, malformed: 0.01, hang: 0.01, reset: 0.01 },
    seed: 11,
  });
  const messages = join(folder, 'messages.jsonl');
  writeFileSync(
    messages,
    `${Array.from({ length: llmItems }, (_, index) => JSON.stringify({ id: `m${index}`, text: `message ${index}: call me back` })).join('\n')}\n`,
  );
  const llmCard = join(folder, 'llm.yaml');
  writeFileSync(
    llmCard,
    `name: Load LLM\nscores:\n  - { name: Asks, class: llm/classifier, labels: [yes, no], model: m, base_url: "${server.url}", api_key_env: LOAD_KEY, max_concurrency: 64, timeout_ms: 2000, prompt: "Asks for a call? {{ text }}" }\n`,
  );
  const llm = await run(
    [
      'evaluate',
      llmCard,
      '--data',
      messages,
      '--out',
      join(folder, 'llm-run'),
      '--no-cache',
      '--json',
      '--concurrency',
      '64',
    ],
    { LOAD_KEY: 'load-key' },
  );
  await server.close();
  const llmStored = await stored(join(folder, 'llm-run'));
  rows.push({
    scenario: 'llm/classifier against the test server, C=64',
    items: llmItems,
    faults: '5% 429, 2% 500, 1% malformed, 1% hang (2 s timeout), 1% reset',
    stored: llmStored,
    scores: 1,
    result: llm,
    retried: JSON.parse(llm.stdout).retries,
    requests: server.stats.requests,
  });
}

console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}`,
);
console.log(
  '| scenario | items | faults injected | results ok / error | items lost | crashes | peak RSS MiB | wall s | items/s |',
);
console.log('| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const lost = row.items - row.stored.items + (row.items * row.scores - row.stored.pairs);
  const crashed = row.result.code === 0 && row.stored.lines === row.stored.pairs ? 0 : 1;
  console.log(
    `| ${row.scenario} | ${row.items.toLocaleString('en')} | ${row.faults} | ${(row.stored.statuses.ok ?? 0).toLocaleString('en')} / ${(row.stored.statuses.error ?? 0).toLocaleString('en')} | ${lost} | ${crashed} | ${row.result.peakMiB.toFixed(0)} | ${row.result.seconds.toFixed(1)} | ${Math.round(row.items / row.result.seconds).toLocaleString('en')} |`,
  );
  if (row.requests)
    console.log(`  (${row.requests.toLocaleString('en')} requests, ${row.retried} retried)`);
}
