// Spark local[2] vs in-process, LLM workload: N items, one llm/classifier score, C requests in
// flight in total (in-process: C; Spark: max_concurrency C for the job, divided among its 2
// tasks), server latency L on core 1. With `rules` as 4th argument: one heuristic/keywords score
// and no server instead. P: the Spark job's partitions (default 2).
// Also Spark's floor: `spark-submit` (same master) of a trivial job that reads the same file and
// writes it back (JVM, context, Python, one read and one write): the part of the Spark run that no
// Plexus code can remove. Prints both ratios: end to end, and with the floor taken off Spark's time.
// BENCH_UDF_FLOOR=1 adds a second floor: the same job with an identity mapInArrow (what any PySpark
// job of this shape pays). BENCH_VERBOSE=1 prints Spark's lines with seconds since submit.
// Usage: node bench/spark-throughput.mjs [items] [C] [L_ms] [rules|llm] [P]   (after `pnpm build`)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin } from '@plexus/classifier-llm';
import { evaluate, loadScorecard } from '@plexus/core';
import { runOnSpark, sparkSubmit as sparkSubmitJob } from '@plexus/spark-runner';
import { localSpark } from '@plexus/spark-runner/testing';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const rules = process.argv[5] === 'rules';
const partitions = Number(process.argv[6] ?? 2);
const here = fileURLToPath(new URL('.', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-spark-'));
const server = spawn(
  'taskset',
  ['-c', '1', process.execPath, join(here, 'llm-server.mjs'), String(latencyMs)],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
// The server's requests so far, once a second: when the Spark job's calls start and stop.
const counts = [];
createInterface({ input: server.stderr }).on('line', (line) => {
  if (line.startsWith('{'))
    counts.push({ at: performance.now(), requests: JSON.parse(line).requests });
});
const url = await new Promise((resolve) =>
  createInterface({ input: server.stdout }).once('line', resolve),
);
const data = join(folder, 'items.jsonl');
writeFileSync(
  data,
  `${Array.from({ length: items }, (_, index) => JSON.stringify({ id: `m${index}`, text: `message number ${index}` })).join('\n')}\n`,
);
process.env.BENCH_KEY = 'bench';

async function card(name, limit) {
  const file = join(folder, `${name}.yaml`);
  const score = rules
    ? '{ name: Spam, class: heuristic/keywords, labels: [spam, ham], phrases: [number 1, number 7, free] }'
    : `{ name: Spam, class: llm/classifier, labels: [spam, ham], model: bench, base_url: "${url}", api_key_env: BENCH_KEY, max_concurrency: ${limit}, prompt: "Spam? {{ text }}" }`;
  writeFileSync(file, `name: ${name}\nscores:\n  - ${score}\n`);
  return loadScorecard(file, {
    plugins: [plugin, heuristic],
    cacheDir: join(folder, `cache-${name}`),
  });
}

let started = performance.now();
const local = await evaluate({
  scorecard: await card('local', concurrency),
  data,
  outDir: join(folder, 'local'),
  cache: false,
  window: 1024,
  concurrency: 8,
});
const localS = (performance.now() - started) / 1000;
const { sparkSubmit } = localSpark();
started = performance.now();
const spark = await runOnSpark({
  // The job's limit: each of the 2 tasks keeps half (see spark-runner's README).
  scorecard: await card('spark', concurrency),
  input: data,
  output: join(folder, 'spark-out'),
  runDir: join(folder, 'spark-run'),
  partitions,
  sparkSubmit,
  cacheDir: join(folder, 'cache-spark'),
  // BENCH_VERBOSE=1: Spark's and the job's lines with seconds since submit (where the time goes).
  onOutput: process.env.BENCH_VERBOSE
    ? (line) => console.error(`${((performance.now() - started) / 1000).toFixed(1)} ${line}`)
    : undefined,
});
const sparkS = (performance.now() - started) / 1000;
const sparkEnded = performance.now();
const calls = callWindow(started, sparkEnded);
const floorS = await sparkFloor(sparkSubmit, false);
// BENCH_UDF_FLOOR=1: also the floor of any PySpark job of this shape (the same read and write
// with an identity mapInArrow between: Python workers started, every row through Arrow and back).
const udfFloorS = process.env.BENCH_UDF_FLOOR ? await sparkFloor(sparkSubmit, true) : undefined;
server.kill('SIGTERM');
console.log(
  `| ${rules ? 'rules' : 'LLM'} | ${items} | ${concurrency} | ${latencyMs} | ${partitions} | ${(local.items / localS).toFixed(0)} (${localS.toFixed(1)} s) | ${(spark.items / sparkS).toFixed(0)} (${sparkS.toFixed(1)} s) | ${floorS.toFixed(1)} | ${(localS / sparkS).toFixed(2)} | ${(localS / Math.max(0.1, sparkS - floorS)).toFixed(2)} | ${local.errors}/${spark.errors} | ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} |`,
);
if (calls) console.log(calls);
if (udfFloorS !== undefined)
  console.log(
    `floor with an identity mapInArrow: ${udfFloorS.toFixed(1)} s; in-process / (Spark - that floor) = ${(localS / Math.max(0.1, sparkS - udfFloorS)).toFixed(2)}`,
  );

/** When the server saw the Spark job's calls (1-s samples): the span and the rate within it. */
function callWindow(from, to) {
  const samples = counts.filter((sample) => sample.at >= from && sample.at <= to + 1500);
  // Spark calls nothing in its first second (JVM start): the count then is the in-process run's.
  const base = counts.filter((sample) => sample.at < from + 1000).at(-1)?.requests ?? 0;
  const first = samples.find((sample) => sample.requests > base);
  const total = samples.at(-1)?.requests ?? base;
  const last = samples.find((sample) => sample.requests === total);
  if (rules || !first || !last || last.at <= first.at) return undefined;
  const spanS = (last.at - first.at) / 1000;
  return `Spark's calls: first seen ${((first.at - from) / 1000).toFixed(1)} s after submit, ${total - base} calls in ${spanS.toFixed(1)} s (${((total - base) / spanS).toFixed(0)}/s; C/L = ${((concurrency * 1000) / latencyMs).toFixed(0)}/s at most)`;
}

/** Seconds of `spark-submit` of a job that reads the input as text and writes it back. */
async function sparkFloor(submit, udf) {
  const job = join(folder, udf ? 'udf_floor_job.py' : 'floor_job.py');
  writeFileSync(
    job,
    [
      'import sys',
      'from pyspark.sql import SparkSession',
      'spark = SparkSession.builder.appName("floor").getOrCreate()',
      'frame = spark.read.text(sys.argv[1])',
      udf ? 'frame = frame.mapInArrow(lambda batches: batches, "value string")' : '',
      'frame.write.mode("overwrite").text(sys.argv[2])',
      'spark.stop()',
      '',
    ].join('\n'),
  );
  const floorStarted = performance.now();
  await sparkSubmitJob(
    [
      '--master',
      'local[2]',
      '--conf',
      'spark.ui.enabled=false',
      job,
      data,
      join(folder, 'floor-out'),
    ],
    { sparkSubmit: submit },
  );
  return (performance.now() - floorStarted) / 1000;
}
