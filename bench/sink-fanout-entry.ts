// Bundled by bench/sink-fanout.mjs: the run stream's fan-out to sinks against the loop it replaced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunMetrics } from '../packages/core/src/metrics/run-metrics.js';
import { ReportRows } from '../packages/core/src/report/report-data.js';
import { callbackSink, coreSinks, RunFolderSink } from '../packages/core/src/run/core-sinks.js';
import type { ResultLine } from '../packages/core/src/run/result-line.js';
import { RunFolder, type RunInfo } from '../packages/core/src/run/run-folder.js';
import { RunProvenance } from '../packages/core/src/run/run-provenance.js';
import { SinkSet } from '../packages/core/src/run/sink-set.js';

const scores = Array.from({ length: 6 }, (_, index) => ({ name: `Score ${index}` }));
const lines: ResultLine[] = Array.from({ length: 600_000 }, (_, index) => ({
  item_id: `item-${Math.floor(index / 6)}`,
  score: `Score ${index % 6}`,
  value: index % 3 ? 'yes' : 'no',
  status: 'ok',
  label: index % 5 ? 'yes' : 'no',
  correct: index % 3 ? index % 5 !== 0 : index % 5 === 0,
  explanation: 'found "how can i help" in turn 1 (agent)',
  confidence: null,
  cost_usd: 0,
  input_tokens: 0,
  output_tokens: 0,
  llm_calls: 0,
  retries: 0,
  latency_ms: 0.01,
  cached: false,
  error: null,
}));
const folder = mkdtempSync(join(tmpdir(), 'plexus-fanout-'));
let run = 0;

async function openFolder(): Promise<RunFolder> {
  const info = { version: 1, fingerprints: {}, data: { path: 'x' }, status: 'running' };
  return RunFolder.create(join(folder, `run-${run++}`), info as unknown as RunInfo, {
    path: 'card.yaml',
    source: '',
  });
}

/** The loop evaluate had before: each consumer called in place. */
async function inline(): Promise<number> {
  const runFolder = await openFolder();
  const metrics = new RunMetrics(scores);
  const reportRows = new ReportRows();
  const provenance = new RunProvenance();
  let seen = 0;
  const onResult = () => {
    seen += 1;
  };
  const started = performance.now();
  for (const line of lines) {
    runFolder.append(line);
    provenance.add(line);
    metrics.add(line);
    reportRows.add(line);
    onResult();
  }
  const seconds = (performance.now() - started) / 1000;
  await runFolder.close();
  if (seen !== lines.length) throw new Error('lines lost');
  return seconds;
}

/** The run stream: the same consumers as sinks, through SinkSet.add. */
async function throughSinks(): Promise<number> {
  const store = new RunFolderSink();
  store.folder = await openFolder();
  const core = coreSinks(scores);
  let seen = 0;
  const sinks = new SinkSet([
    store,
    ...core.sinks,
    callbackSink(() => {
      seen += 1;
    }),
  ]);
  const started = performance.now();
  for (const line of lines) {
    const pending = sinks.add(line);
    if (pending) await pending;
  }
  const seconds = (performance.now() - started) / 1000;
  await store.folder.close();
  if (seen !== lines.length) throw new Error('lines lost');
  return seconds;
}

const runs = Number(process.argv[2] ?? 5);
const times = { inline: [] as number[], sinks: [] as number[] };
// Each first on every other run: neither gains from the other's garbage or a warmer JIT.
for (let index = 0; index < runs; index += 1) {
  if (index % 2) times.sinks.push(await throughSinks());
  times.inline.push(await inline());
  if (index % 2 === 0) times.sinks.push(await throughSinks());
}
rmSync(folder, { recursive: true, force: true });
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `600,000 result lines to the run folder, provenance, metrics, report rows and a callback; ${runs} runs each, alternating which goes first`,
);
console.log('| loop | median (s) | fastest (s) | µs a line (median) |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, values] of Object.entries(times))
  console.log(
    `| ${name === 'inline' ? 'inline calls (before)' : 'SinkSet.add (run stream)'} | ${median(values).toFixed(3)} | ${Math.min(...values).toFixed(3)} | ${((median(values) / 600_000) * 1e6).toFixed(2)} |`,
  );
