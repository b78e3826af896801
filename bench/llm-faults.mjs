// LLM under random faults (issue 28): N items, C in flight, latency L, against the test server
// answering 5% 429 (random, not caused by load), 2% 500, 1% malformed and 1% hangs (2 s timeout),
// and the same run without faults (the floor), alternating in one process. Target: the fault run
// >= 0.6x the fault-free items/s. The server runs pinned to core 1 (bench/llm-bench-server.mjs).
// Beside each ratio: the ceiling of that run (bench/fault-ceiling.mjs), from its own fault counts
// and the floor's time per call, and how the limiter took the 429s (noise or load). A second
// table says where each run's slot-seconds went (bench/slot-trace.mjs: held by answered calls,
// 429s, 5xx, timed-out and aborted attempts; free while resting after a 429, with nothing waiting,
// or with requests waiting), its ceiling as a schedule (the run's own requests in slot order, at
// the floor's time per call and at its own), and its slowest item.
// Usage: taskset -c 0 node bench/llm-faults.mjs [items] [C] [L_ms] [rounds] [kinds] [hedge]
// kinds: all (default), or a comma list of 429, 500, malformed, hang: only those faults, at their
// rates; or none: the "fault runs" have no faults either (two builds' fault-free rates compared).
// hedge: off (default), or auto or milliseconds: each round also runs the faults with
// hedge_after_ms set to it (with each build), right after the same floor; its ceiling counts the
// hangs a hedge answered as held for the mean hedge delay plus one call, and the row shows beside
// it the ceiling without hedging (every hang held for the whole timeout).
// PLEXUS_LLM_MODULE=<path to a build of @plexus/classifier-llm>: run that build instead;
// PLEXUS_LLM_COMPARE=<path to another build>: each round also runs the faults with it, right after
// the same floor (a before/after under the same load).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluate, parseScorecard } from '@plexus/core';
import { faultCeiling, scheduleCeiling } from './fault-ceiling.mjs';
import { startBenchServer } from './llm-bench-server.mjs';
import { traceSlots } from './slot-trace.mjs';

const items = Number(process.argv[2] ?? 5_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 20);
const rounds = Number(process.argv[5] ?? 2);
const kinds = process.argv[6] ?? 'all';
const hedgeArg = process.argv[7] ?? 'off';
const hedge = hedgeArg === 'off' ? undefined : hedgeArg === 'auto' ? 'auto' : Number(hedgeArg);
if (hedge !== undefined && hedge !== 'auto' && !(hedge >= 10))
  throw new Error(`hedge: off, auto or milliseconds (>= 10), not "${hedgeArg}"`);
const rates = { 429: 0.05, 500: 0.02, malformed: 0.01, hang: 0.01 };
const faults = Object.fromEntries(
  Object.entries(rates).filter(([kind]) => kinds === 'all' || kinds.split(',').includes(kind)),
);
if (Object.keys(faults).length === 0 && kinds !== 'none')
  throw new Error(`no fault kind in "${kinds}" (none: fault-free runs of each build)`);
const timeoutMs = 2000;
const retryAfterMs = 50; // bench/llm-server.mjs sends retry-after: 0.05
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-faults-'));
const data = join(folder, 'items.csv');
writeFileSync(
  data,
  `id,text\n${Array.from({ length: items }, (_, index) => `m${index},message number ${index}`).join('\n')}\n`,
);
process.env.BENCH_KEY = 'bench';
const builds = [];
for (const path of [process.env.PLEXUS_LLM_MODULE, process.env.PLEXUS_LLM_COMPARE]) {
  if (path === undefined && builds.length > 0) continue;
  const module = await import(path ? pathToFileURL(resolve(path)).href : '@plexus/classifier-llm');
  builds.push({ label: path ?? '@plexus/classifier-llm', ...module });
}
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

/** One run against a fresh server: items/s, the server's counts, the limiter's, the tail. */
async function once(withFaults, round, build, hedged = false) {
  const { plugin, sharedLimiter } = build;
  let last = { requests: 0, faults: {} };
  const server = await startBenchServer(latencyMs, {
    faults: withFaults ? faults : undefined,
    onStats: (stats) => {
      last = stats;
    },
  });
  const tag = `${withFaults}-${round}-${builds.indexOf(build)}-${hedged}`;
  const file = join(folder, `card-${tag}.yaml`);
  const source = `name: Faults\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: faults, base_url: "${server.url}", api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, timeout_ms: ${timeoutMs}, max_retries: 10,${hedged ? ` hedge_after_ms: ${hedge},` : ''} prompt: "Spam? {{ text }}" }\n`;
  writeFileSync(file, source);
  const scorecard = await parseScorecard(source, { file, plugins: [plugin], cacheDir: folder });
  // The limiter the score uses (one per provider, base URL and model in the process).
  const limiter = sharedLimiter(`openai|${server.url}|faults`, { maxConcurrency: concurrency });
  const samples = [];
  const delays = [];
  const sampler = setInterval(() => {
    samples.push(limiter.concurrency);
    const after = hedged ? limiter.hedgeAfterMs(hedge) : undefined;
    if (after !== undefined) delays.push(after);
  }, 10);
  const done = [];
  const slowest = { seconds: 0 };
  const trace = traceSlots(limiter, concurrency);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await evaluate({
    scorecard,
    data,
    outDir: join(folder, `run-${tag}`),
    cache: false,
    window: 1024,
    concurrency,
    onResult: (line) => {
      done.push(performance.now());
      if (line.latency_ms / 1000 > slowest.seconds)
        Object.assign(slowest, { seconds: line.latency_ms / 1000, line });
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const slots = trace.stop();
  await server.end();
  // The tail: from the result that left C items to go, to the end.
  const cut = done[Math.max(0, done.length - concurrency)] ?? started;
  return {
    rate: items / seconds,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    errors: summary.errors,
    retries: summary.retries,
    llmCalls: summary.llmCalls,
    hedged,
    hedging: limiter.hedging ?? { sent: 0, won: 0, aborted: 0 },
    hedgeDelayMs:
      delays.length > 0
        ? delays.reduce((sum, value) => sum + value, 0) / delays.length
        : Number.NaN,
    requests: last.requests,
    maxInFlight: last.maxInFlight,
    faults: last.faults ?? {},
    limited: limiter.limited ?? { noise: '?', load: limiter.epoch },
    meanConcurrency: samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length),
    tail: seconds - (cut - started) / 1000,
    slots,
    slowest: `${slowest.seconds.toFixed(2)} s, ${slowest.line?.retries} retries, ${slowest.line?.llm_calls} calls`,
  };
}

console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; load average ${load()}`,
);
console.log(
  `builds: ${builds.map((build, index) => `${index + 1}. ${build.label}`).join('; ')} (the floor runs the first); ${items} items, C=${concurrency}, L=${latencyMs} ms, timeout ${timeoutMs} ms, faults ${JSON.stringify(faults)}, hedge ${hedgeArg}`,
);
console.log(
  '| round | build | hedge | load average | fault-free items/s | with faults items/s | ratio | ceiling items/s | of ceiling | ceiling without hedging | requests | llm_calls + retries | 429 / 500 / malformed / hang | hedges sent / won / aborted (mean delay ms) | 429s as noise / load | mean concurrency | most in flight at the server | tail s (floor) | client CPU s / wall s (floor) | errors |',
);
console.log(
  '| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | --- | --- | ---: |',
);
const ratios = builds.map(() => []);
const hedgedRatios = builds.map(() => []);
const slotRows = [];
for (let round = 1; round <= rounds; round += 1) {
  const floor = await once(false, round, builds[0]);
  // The builds take turns going first.
  const order = builds.map((_, index) => (index + round - 1) % builds.length);
  for (const index of order) row(round, index, floor, await once(true, round, builds[index]));
  if (hedge === undefined) continue;
  for (const index of order) row(round, index, floor, await once(true, round, builds[index], true));
}
console.log(
  '\nWhere the slot-seconds went (C x wall; bench/slot-trace.mjs), and the ceiling as a schedule (bench/fault-ceiling.mjs):',
);
console.log(
  '| round | build | hedge | wall s | slot-s | held: ok / 429 / 5xx / hang (timed out) / aborted / other | idle: resting after 429 / nothing waiting / waiting | schedule ceiling items/s | run / schedule ceiling | run / schedule ceiling at its own call time | slowest item |',
);
console.log('| ---: | ---: | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |');
for (const line of slotRows) console.log(line);
for (const [index, list] of ratios.entries()) {
  list.sort((a, b) => a - b);
  console.log(`build ${index + 1}: median ratio ${list[Math.floor(list.length / 2)].toFixed(2)}x`);
}
for (const [index, list] of hedgedRatios.entries()) {
  if (list.length === 0) continue;
  list.sort((a, b) => a - b);
  const median = list[Math.floor(list.length / 2)];
  console.log(
    `build ${index + 1} with hedge_after_ms ${hedgeArg}: median ratio ${median.toFixed(2)}x, lowest ${list[0].toFixed(2)}x`,
  );
}
console.log(`load average after ${load()}`);

/** One table row: a run with faults against the floor of its round and its own ceiling. */
function row(round, index, floor, faulty) {
  const counts = {
    items,
    concurrency,
    floor: { seconds: floor.seconds, requests: floor.requests },
    run: { requests: faulty.requests, faults: faulty.faults },
    timeoutMs,
    retryAfterMs,
  };
  const unhedged = faultCeiling(counts);
  const ceiling = faulty.hedged
    ? faultCeiling({
        ...counts,
        hedge: { rescued: faulty.hedging.won, afterMs: faulty.hedgeDelayMs },
      })
    : unhedged;
  (faulty.hedged ? hedgedRatios : ratios)[index].push(faulty.rate / floor.rate);
  const kinds = ['429', '500', 'malformed', 'hang'].map((kind) => faulty.faults[kind] ?? 0);
  const { sent, won, aborted } = faulty.hedging;
  const hedging = faulty.hedged
    ? `${sent} / ${won} / ${aborted} (${faulty.hedgeDelayMs.toFixed(0)})`
    : '-';
  const ratio = (rate) => `${rate.toFixed(0)} (${(rate / floor.rate).toFixed(2)}x)`;
  slotRows.push(slotRow(round, index, faulty, ceiling.callSeconds, ratio));
  console.log(
    `| ${round} | ${index + 1} | ${faulty.hedged ? hedgeArg : 'off'} | ${load()} | ${floor.rate.toFixed(0)} | ${faulty.rate.toFixed(0)} | ${(faulty.rate / floor.rate).toFixed(2)}x | ${ratio(ceiling.rate)} | ${(faulty.rate / ceiling.rate).toFixed(2)}x | ${ratio(unhedged.rate)} | ${faulty.requests} | ${faulty.llmCalls + faulty.retries} | ${kinds.join(' / ')} | ${hedging} | ${faulty.limited.noise} / ${faulty.limited.load} | ${faulty.meanConcurrency.toFixed(1)} | ${faulty.maxInFlight} | ${faulty.tail.toFixed(2)} (${floor.tail.toFixed(2)}) | ${faulty.cpuSeconds.toFixed(2)} / ${faulty.seconds.toFixed(2)} (${floor.cpuSeconds.toFixed(2)} / ${floor.seconds.toFixed(2)}) | ${faulty.errors} |`,
  );
}

/** A row of the slot table: where the run's slot-seconds went, and its schedule ceiling. */
function slotRow(round, index, faulty, callSeconds, ratio) {
  const { requests, held, idle } = faulty.slots;
  const kinds = requests.map((request) => request.kind);
  const answered = kinds.filter((kind) => kind === 'ok').length;
  const ceilingAt = (seconds) =>
    scheduleCeiling({
      items,
      concurrency,
      callSeconds: seconds,
      kinds,
      timeoutMs,
      retryAfterMs,
      hedge: faulty.hedged ? { afterMs: faulty.hedgeDelayMs } : undefined,
    });
  const schedule = ceilingAt(callSeconds);
  // The same with the run's own time per answered call (the machine's speed during the run).
  const own = ceilingAt((held.ok ?? 0) / Math.max(1, answered));
  const heldText = ['ok', '429', '5xx', 'hang', 'aborted', 'other']
    .map((kind) => (held[kind] ?? 0).toFixed(1))
    .join(' / ');
  const idleText = [idle.resting, idle.nothingWaiting, idle.waiting]
    .map((value) => value.toFixed(1))
    .join(' / ');
  return `| ${round} | ${index + 1} | ${faulty.hedged ? hedgeArg : 'off'} | ${faulty.seconds.toFixed(2)} | ${(concurrency * faulty.seconds).toFixed(0)} | ${heldText} | ${idleText} | ${ratio(schedule.rate)} | ${(faulty.rate / schedule.rate).toFixed(2)}x | ${(faulty.rate / own.rate).toFixed(2)}x | ${faulty.slowest} |`;
}
