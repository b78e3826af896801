// Reading items (issue 28, the dataset side of the rules and warm-cache rows): CPU of
// `readDatasetBatches` with a SHA-256 tap (what `plexus evaluate` does) against a floor in the
// same script run: read the file, hash it, split the lines with indexOf and JSON.parse each (JSONL)
// or split each at its commas (CSV). Each measure is a fresh process (a run reads with a cold JIT),
// in turns, N rounds; CPU is user + system of the read alone (what a shared machine disturbs least).
// Datasets: N transcripts (JSONL, bench/transcripts.mjs) and the LLM bench's CSV (`m1,message number 1`).
// BENCH_BEFORE=<dir>: also reads with <dir>/packages/core/dist (another version's build).
// Usage: node bench/dataset-read.mjs [transcripts] [csv rows] [rounds]   (after building core)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset } from './transcripts.mjs';

const transcripts = Number(process.argv[2] ?? 100_000);
const csvRows = Number(process.argv[3] ?? 10_000);
const rounds = Number(process.argv[4] ?? 3);
const here = fileURLToPath(new URL('.', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-dataset-read-'));
const jsonl = join(folder, 'items.jsonl');
await writeDataset(jsonl, transcripts);
const csv = join(folder, 'items.csv');
const rows = Array.from({ length: csvRows }, (_, index) => `m${index},message number ${index}`);
writeFileSync(csv, `id,text\n${rows.join('\n')}\n`);

/** Reads `path` in a child: `reader` (a core dist's index.js) or the floor; prints JSON. */
const child = `
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
const [reader, path] = process.argv.slice(1);
const core = reader === 'floor' ? undefined : await import(reader);
const hash = createHash('sha256');
const started = process.cpuUsage();
let items = 0;
let characters = 0;
// A version without readDatasetBatches is read item by item, as its evaluate did.
const batches = core?.readDatasetBatches ?? async function* (options) {
  for await (const item of core.readDataset(options)) yield [item];
};
if (core) {
  for await (const batch of batches({ path, onBytes: (bytes) => hash.update(bytes) }))
    for (const item of batch) { items += 1; characters += item.text.length; }
} else {
  const decoder = new StringDecoder('utf8');
  const jsonl = path.endsWith('.jsonl');
  let rest = '';
  let header = !jsonl;
  const line = (text) => {
    if (header) { header = false; return; }
    if (text === '') return;
    const value = jsonl ? JSON.parse(text) : text.split(',');
    items += 1;
    characters += (jsonl ? value.text : value[1]).length;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk);
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\\n'); end !== -1; end = text.indexOf('\\n', start)) {
      line(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  line(rest + decoder.end());
}
const cpu = process.cpuUsage(started);
console.log(JSON.stringify({ items, characters, cpuMs: (cpu.user + cpu.system) / 1000, sha256: hash.digest('hex') }));
`;

function read(reader, path) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', child, reader, path], {
    cwd: here,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${reader} ${path}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const readers = [['now', join(here, '../packages/core/dist/index.js')]];
if (process.env.BENCH_BEFORE)
  readers.unshift(['before', join(process.env.BENCH_BEFORE, 'packages/core/dist/index.js')]);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(
  `node ${process.version}; ${new Date().toISOString()}; ${transcripts.toLocaleString('en')} transcripts (JSONL), ${csvRows.toLocaleString('en')} CSV rows; CPU ms of the read, medians of ${rounds}`,
);
console.log('| dataset | reader | load average | CPU ms | floor CPU ms | ratio to the floor |');
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const [name, path] of [
  ['transcripts.jsonl', jsonl],
  ['items.csv', csv],
]) {
  const cpu = Object.fromEntries(readers.map(([reader]) => [reader, []]));
  const floor = [];
  const load = loadavg()[0].toFixed(1);
  for (let round = 0; round < rounds; round += 1) {
    const expected = read('floor', path);
    floor.push(expected.cpuMs);
    for (const [reader, dist] of readers) {
      const got = read(dist, path);
      // The same items, characters and bytes as the floor read: a faster reader that loses one is not one.
      if (
        got.items !== expected.items ||
        got.characters !== expected.characters ||
        got.sha256 !== expected.sha256
      )
        throw new Error(`${reader} ${name}: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
      cpu[reader].push(got.cpuMs);
    }
  }
  for (const [reader] of readers)
    console.log(
      `| ${name} | ${reader} | ${load} -> ${loadavg()[0].toFixed(1)} | ${median(cpu[reader]).toFixed(0)} | ${median(floor).toFixed(0)} | ${(median(cpu[reader]) / median(floor)).toFixed(2)}x |`,
    );
}
rmSync(folder, { recursive: true, force: true });
