// `plexus view` over a 100,000-item run: how long the filtered item list takes to answer
// (issue 23: under 200 ms), the first request (index and item texts built) and the server's memory.
// Usage: node bench/view.mjs [items] [repeats] [one]   (after `pnpm build`; `one`: only the
// Greeting score, one result line per item; default the six rule scores, six lines per item)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset, writeRulesCard } from './transcripts.mjs';

const items = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 15);
const oneScore = process.argv[4] === 'one';
const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-view-'));
const data = join(folder, 'calls.jsonl');
const card = join(folder, 'card.yaml');
await writeDataset(data, items);
writeRulesCard(card);
if (oneScore) {
  const text = readFileSync(card, 'utf8');
  writeFileSync(card, text.slice(0, text.indexOf('\n  - name: Asks How To Help')));
}

let started = performance.now();
const evaluated = spawnSync(
  process.execPath,
  [
    bin,
    'evaluate',
    card,
    '--data',
    data,
    '--out',
    join(folder, 'runs', 'bench'),
    '--no-cache',
    '--quiet',
  ],
  { encoding: 'utf8', env: { ...process.env, PLEXUS_CACHE_DIR: join(folder, 'cache') } },
);
if (evaluated.status !== 0) throw new Error(`evaluate failed: ${evaluated.stderr}`);
const results = join(folder, 'runs', 'bench', 'results.jsonl');
const lines = Number(spawnSync('wc', ['-l', results], { encoding: 'utf8' }).stdout.split(' ')[0]);
const resultMiB = Number(
  spawnSync('du', ['-m', results], { encoding: 'utf8' }).stdout.split('\t')[0],
);
console.log(
  `evaluate: ${items} items, ${lines} result lines (${resultMiB} MiB), ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const viewer = spawn(
  process.execPath,
  [bin, 'view', join(folder, 'runs'), '--no-open', '--port', '0'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise((resolve, reject) => {
  let text = '';
  viewer.stdout.on('data', (chunk) => {
    text += chunk;
    const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(text);
    if (found) resolve(found[0]);
  });
  viewer.on('exit', (code) => reject(new Error(`plexus view exited with ${code}`)));
});

async function get(path) {
  const begin = performance.now();
  const response = await fetch(new URL(path, url));
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return { ms: performance.now() - begin, body };
}

function rssMiB() {
  const status = readFileSync(`/proc/${viewer.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

started = performance.now();
const first = await get('/run/bench');
console.log(
  `first request (index of results.jsonl and item texts built): ${first.ms.toFixed(0)} ms, RSS ${rssMiB().toFixed(0)} MiB`,
);

// A gold and predicted pair that occurs: the first wrong answer's.
const wrong = (await get('/run/bench?outcome=incorrect')).body;
const [, score, gold, predicted] =
  /<tr data-line="\d+"><td><a [^>]*>[^<]*<\/a><\/td><td>([^<]*)<\/td><td>ok<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/.exec(
    wrong,
  );
const pair = new URLSearchParams({ score, gold, predicted });

const cases = [
  ['all results, page 1', '/run/bench'],
  ['answer incorrect', '/run/bench?outcome=incorrect'],
  [`score + gold + predicted (${score}, ${gold} taken for ${predicted})`, `/run/bench?${pair}`],
  ['status error (none)', '/run/bench?status=error'],
  ['text search, in item text', '/run/bench?q=replacement'],
  ['text search, no match (full scan)', '/run/bench?q=zzzz-no-such-text'],
  ['incorrect, page 100', '/run/bench?outcome=incorrect&page=100'],
  ['one item', '/run/bench/item/item-99999'],
];
console.log(`\n| request | median (ms) | max (ms) | matching |\n| --- | ---: | ---: | --- |`);
for (const [name, path] of cases) {
  const times = [];
  let body = '';
  for (let run = 0; run < repeats; run += 1) {
    const answer = await get(path);
    times.push(answer.ms);
    body = answer.body;
  }
  times.sort((left, right) => left - right);
  const matched = /<span id="matched">([^<]*)<\/span>/.exec(body)?.[1] ?? '';
  console.log(
    `| ${name} | ${times[Math.floor(times.length / 2)].toFixed(1)} | ${times.at(-1).toFixed(1)} | ${matched} |`,
  );
}
const compare = await get('/compare?a=bench&b=bench');
const compareAgain = await get('/compare?a=bench&b=bench');
console.log(
  `\ncompare the run with itself: first ${compare.ms.toFixed(0)} ms, again (kept) ${compareAgain.ms.toFixed(0)} ms`,
);
console.log(`viewer RSS after: ${rssMiB().toFixed(0)} MiB`);
viewer.kill('SIGTERM');
rmSync(folder, { recursive: true, force: true });
