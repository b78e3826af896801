// Synthetic datasets for benchmarks, built from the Harper Valley Bank transcripts
// (shared/data/hvb, Apache-2.0): real text, repeated with new ids.
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(
  new URL('../examples/call-center-qa/data/calls.jsonl', import.meta.url),
);

/** The example's calls as objects. */
export function calls() {
  return readFileSync(source, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** Writes a JSONL dataset of `count` items cycling through the calls; resolves when flushed. */
export function writeDataset(path, count) {
  const rows = calls();
  const out = createWriteStream(path);
  for (let index = 0; index < count; index += 1) {
    const row = rows[index % rows.length];
    out.write(`${JSON.stringify({ ...row, id: `item-${index}` })}\n`);
  }
  return new Promise((resolve) => out.end(resolve));
}
