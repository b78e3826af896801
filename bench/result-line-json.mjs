// Result lines serialised by core's `resultLineJson` vs `JSON.stringify` (issue 28, rules row):
// every line of a results.jsonl is parsed and written again by both, each must give the line
// itself (the same text as JSON.stringify, checked on every line); then the CPU of writing the
// first 120,000 lines into a Buffer (as the run folder does) by each, in turns, median of N.
// Usage: node bench/result-line-json.mjs RUN_FOLDER/results.jsonl [rounds]   (after building core)
import { createReadStream } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { jsonWarmUpLines, resultLineJson } from '@plexus/core';

const [path, roundsArgument] = process.argv.slice(2);
const rounds = Number(roundsArgument ?? 5);
const kept = [];
let lines = 0;
let differ = 0;
let warm = false;
for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
  if (text === '') continue;
  const line = JSON.parse(text);
  // The first lines of a process are written by JSON.stringify itself: spent on one line, so that
  // every line of the file is checked through the fast path.
  if (!warm) for (let index = 0; index < jsonWarmUpLines; index += 1) resultLineJson(line);
  warm = true;
  lines += 1;
  if (resultLineJson(line) !== text || JSON.stringify(line) !== text) differ += 1;
  if (kept.length < 120_000) kept.push(line);
}
console.log(`${lines.toLocaleString('en')} lines checked: ${differ} differ from the file`);
if (differ > 0) process.exit(1);
const bytes = Buffer.allocUnsafe(1 << 28);
const cpu = { 'JSON.stringify': [], resultLineJson: [] };
for (let round = 0; round < rounds; round += 1) {
  for (const [name, write] of [
    ['JSON.stringify', (line) => JSON.stringify(line)],
    ['resultLineJson', resultLineJson],
  ]) {
    const started = process.cpuUsage();
    let used = 0;
    for (const line of kept) {
      used += bytes.write(write(line), used);
      bytes[used] = 0x0a;
      used += 1;
    }
    const spent = process.cpuUsage(started);
    cpu[name].push((spent.user + spent.system) / 1000);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const [json, fast] = [median(cpu['JSON.stringify']), median(cpu.resultLineJson)];
console.log(
  `${kept.length.toLocaleString('en')} lines into a Buffer, median CPU of ${rounds}: JSON.stringify ${json.toFixed(0)} ms, resultLineJson ${fast.toFixed(0)} ms (${(fast / json).toFixed(2)}x); load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
