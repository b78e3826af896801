// The LLM rows of issue 28, each against its floor in the same script run, N rounds in turns:
// 1. `plexus evaluate` of N items (one llm/classifier score, C in flight, server latency L), a whole
//    process with a fresh cache, vs bench/llm-http-loop.mjs (a bare node:http keep-alive loop making
//    the same calls), also a whole process. Target: evaluate >= 0.95x the loop's items/s.
// 2. warm cache: the same N items again as a new `plexus evaluate` process (every answer from the
//    cache of 1.), vs a one-item run of the same scorecard with the same cache. Target: <= 1.2x.
//    Beside it, bench/warm-floor-loop.mjs (read the CSV, load the cache's index, per item hash,
//    look up, parse and write a result line) over the N items and over one: what the N hits cost a
//    bare loop, and the ratio the one-item run would have if evaluate's hits cost only that.
// The test server runs once, pinned to core 1; every client process is pinned to core 0.
// BENCH_BEFORE=<dir>: also runs the same commands from a copy of the repository at another
// version (its packages built in <dir>/packages, run from <dir>/bench), in the same rounds.
// Usage: node bench/llm-evaluate-floor.mjs [items] [C] [L_ms] [rounds]   (after building)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const rounds = Number(process.argv[5] ?? 3);
const here = fileURLToPath(new URL('.', import.meta.url));
/** The versions measured: this checkout, and the one BENCH_BEFORE names. */
const trees = [{ name: 'now', cli: join(here, '../packages/cli/dist/bin.js'), cwd: here }];
if (process.env.BENCH_BEFORE)
  trees.unshift({
    name: 'before',
    cli: join(process.env.BENCH_BEFORE, 'packages/cli/dist/bin.js'),
    cwd: join(process.env.BENCH_BEFORE, 'bench'),
  });
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-llm-floor-'));
const { url, stop } = await startBenchServer(latencyMs);
const rows = Array.from({ length: items }, (_, index) => `m${index},message number ${index}`);
const data = join(folder, 'items.csv');
writeFileSync(data, `id,text\n${rows.join('\n')}\n`);
const one = join(folder, 'one.csv');
writeFileSync(one, `id,text\n${rows[0]}\n`);
const card = join(folder, 'card.yaml');
writeFileSync(
  card,
  `name: Throughput\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: bench, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, prompt: "Spam? {{ text }}" }\n`,
);
const env = { ...process.env, BENCH_KEY: 'bench', BENCH_URL: url, MLFLOW_TRACKING_URI: '' };

/**
 * Wall seconds and CPU seconds (user + system, by /usr/bin/time) of one process pinned to core 0,
 * run from bench/ (score packages resolve from here). CPU is what a shared machine disturbs least.
 */
function timed(args, cwd = here) {
  const cpuFile = join(folder, 'cpu.txt');
  const started = performance.now();
  const time = ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile];
  const result = spawnSync('taskset', ['-c', '0', ...time, process.execPath, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')}: exit ${result.status} ${result.stderr}`);
  const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { seconds, cpu: user + system, stdout: result.stdout };
}

/** One `plexus evaluate`; checks every item was scored, and from the cache when `hits` says so. */
function evaluate(tree, dataFile, cacheDir, out, expected, hits) {
  const run = timed(
    [
      tree.cli,
      'evaluate',
      card,
      '--data',
      dataFile,
      '--cache-dir',
      cacheDir,
      '--out',
      out,
      '--json',
      '--quiet',
    ],
    tree.cwd,
  );
  const summary = JSON.parse(run.stdout);
  if (summary.results !== expected || summary.errors !== 0 || summary.cacheHits !== hits)
    throw new Error(`evaluate ${out}: ${JSON.stringify(summary)}`);
  return run;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; ${items} items, C=${concurrency}, L=${latencyMs} ms`,
);
const results = [];
for (let round = 1; round <= rounds; round += 1) {
  const loadBefore = load();
  const runs = trees.map((tree) => {
    const cacheDir = join(folder, `cache-${tree.name}-${round}`);
    const out = (kind) => join(folder, `${kind}-${tree.name}-${round}`);
    return { tree, cacheDir, cold: evaluate(tree, data, cacheDir, out('cold'), items, 0), out };
  });
  const loop = timed([
    join(here, 'llm-http-loop.mjs'),
    String(items),
    String(concurrency),
    String(latencyMs),
  ]);
  for (const run of runs) {
    const again = evaluate(run.tree, data, run.cacheDir, run.out('warm'), items, items);
    const single = evaluate(run.tree, one, run.cacheDir, run.out('one'), 1, 1);
    const floorLog = join(folder, 'floor-log.jsonl');
    const floorLoop = join(here, 'warm-floor-loop.mjs');
    const resultsLog = join(run.cacheDir, 'results', 'log');
    timed([floorLoop, '--setup', data, resultsLog, floorLog]);
    const floorAll = timed([floorLoop, data, floorLog, join(folder, 'floor-out.jsonl')]);
    const floorOne = timed([floorLoop, one, floorLog, join(folder, 'floor-out.jsonl')]);
    results.push({
      floorAll,
      floorOne,
      round,
      name: run.tree.name,
      load: loadBefore,
      cold: run.cold,
      loop,
      again,
      single,
    });
    rmSync(run.cacheDir, { recursive: true, force: true });
  }
  results.at(-1).load = `${loadBefore} -> ${load()}`;
}
stop();
const perItem = (run, count) => ((run.cpu * 1000) / count).toFixed(3);
const version = trees.length > 1 ? ' | version' : '';
console.log(
  `\n| round${version} | load average | evaluate s | loop s | evaluate items/s | loop items/s | ratio | CPU ms per item, evaluate / loop |`,
);
console.log(`| ---:${version ? ' | ---' : ''} | --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const { round, name, load: loads, cold, loop } of results)
  console.log(
    `| ${round}${version ? ` | ${name}` : ''} | ${loads} | ${cold.seconds.toFixed(2)} | ${loop.seconds.toFixed(2)} | ${Math.round(items / cold.seconds)} | ${Math.round(items / loop.seconds)} | ${(loop.seconds / cold.seconds).toFixed(3)}x | ${perItem(cold, items)} / ${perItem(loop, items)} |`,
  );
console.log(
  `\n| round${version} | warm ${items} items s | one item s | ratio | CPU s, warm / one item | CPU ratio | bare loop s, ${items} / one | one item + the bare loop's hits, ratio |`,
);
console.log(`| ---:${version ? ' | ---' : ''} | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
/** The ratio of a one-item run whose N hits cost what the bare loop's cost (its N-item minus one-item time). */
const floorRatio = ({ single, floorAll, floorOne }) =>
  (single.seconds + floorAll.seconds - floorOne.seconds) / single.seconds;
for (const row of results)
  console.log(
    `| ${row.round}${version ? ` | ${row.name}` : ''} | ${row.again.seconds.toFixed(3)} | ${row.single.seconds.toFixed(3)} | ${(row.again.seconds / row.single.seconds).toFixed(2)}x | ${row.again.cpu.toFixed(2)} / ${row.single.cpu.toFixed(2)} | ${(row.again.cpu / row.single.cpu).toFixed(2)}x | ${row.floorAll.seconds.toFixed(3)} / ${row.floorOne.seconds.toFixed(3)} | ${floorRatio(row).toFixed(2)}x |`,
  );
for (const tree of trees) {
  const own = results.filter((row) => row.name === tree.name);
  console.log(
    `${tree.name}: median throughput ratio ${median(own.map((row) => row.loop.seconds / row.cold.seconds)).toFixed(3)}x (target >= 0.95x); warm ratio ${median(own.map((row) => row.again.seconds / row.single.seconds)).toFixed(2)}x (target <= 1.2x), CPU ${median(own.map((row) => row.again.cpu / row.single.cpu)).toFixed(2)}x; with the bare loop's hits ${median(own.map(floorRatio)).toFixed(2)}x`,
  );
}
if (process.env.BENCH_KEEP) console.log(`kept ${folder}`);
else rmSync(folder, { recursive: true, force: true });
