// Long lines (issue 22): one field of N MB in a CSV and in a JSONL file, read with `readDataset`,
// against reading the same bytes and `JSON.parse` of them (the target: within 3x). A parser that
// re-scans the field on every 64 KB chunk is quadratic: 50 MB took 92 s (CSV) and 37 s (JSONL).
// Usage: node bench/long-line.mjs [megabytes] [runs]   (after `pnpm --filter @plexus/core build`)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '@plexus/core';

const megabytes = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 3);
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-long-line-'));
const size = megabytes * 1_000_000;
// Words and punctuation, with a quote every ~1,000 characters (doubled in CSV, escaped in JSON).
const unit = `${'lorem ipsum dolor sit amet, '.repeat(36)}said "yes". `;
const field = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const files = {
  csv: {
    path: join(folder, 'long.csv'),
    content: `id,text\na,"${field.replace(/"/g, '""')}"\n`,
  },
  jsonl: {
    path: join(folder, 'long.jsonl'),
    content: `${JSON.stringify({ id: 'a', text: field })}\n`,
  },
};
for (const { path, content } of Object.values(files)) writeFileSync(path, content);

async function readAll(path) {
  let length = 0;
  for await (const item of readDataset({ path })) length += item.text.length;
  if (length !== field.length)
    throw new Error(`${path}: read ${length} characters, wrote ${field.length}`);
}

/** Reading the file and parsing the same field as one JSON document (prepared untimed for CSV). */
function baseline(path, json) {
  const text = readFileSync(path, 'utf8');
  const value = JSON.parse(json ?? text);
  if (value.text.length !== field.length) throw new Error('baseline read a different length');
}

async function seconds(task) {
  const started = performance.now();
  await task();
  return (performance.now() - started) / 1000;
}

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`${megabytes} MB field, ${runs} runs each, median seconds`);
const fieldJson = JSON.stringify({ id: 'a', text: field });
for (const [format, { path }] of Object.entries(files)) {
  const json = format === 'csv' ? fieldJson : undefined;
  const read = [];
  const parse = [];
  for (let run = 0; run < runs; run += 1) {
    parse.push(await seconds(() => baseline(path, json)));
    read.push(await seconds(() => readAll(path)));
  }
  const ratio = median(read) / median(parse);
  console.log(
    `${format.padEnd(5)}  readDataset ${median(read).toFixed(3)} s  read + JSON.parse ${median(parse).toFixed(3)} s  ratio ${ratio.toFixed(2)}x`,
  );
}
rmSync(folder, { recursive: true, force: true });
