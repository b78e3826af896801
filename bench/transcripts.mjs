// Synthetic datasets for benchmarks, built from the Harper Valley Bank transcripts
// (shared/data/hvb, Apache-2.0): real text, repeated with new ids.
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
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
export async function writeDataset(path, count) {
  const rows = calls();
  const out = createWriteStream(path);
  for (let index = 0; index < count; index += 1) {
    const row = rows[index % rows.length];
    // Waits for the stream to drain: without it a million lines sit in this process's memory
    // (2.5 GB), and a CLI spawned afterwards reports that as its own peak RSS (issue 28).
    if (!out.write(`${JSON.stringify({ ...row, id: `item-${index}` })}\n`))
      await new Promise((resolve) => out.once('drain', resolve));
  }
  return new Promise((resolve) => out.end(resolve));
}

/**
 * Writes the example's rule scores alone as a scorecard (its scorecard also has a forest, an ONNX
 * model and LLM scores): the six rules that the rule benchmarks time.
 */
export function writeRulesCard(path) {
  const example = readFileSync(
    fileURLToPath(new URL('../examples/call-center-qa/scorecard.yaml', import.meta.url)),
    'utf8',
  );
  const ruleBlocks = example
    .slice(example.indexOf('scores:\n') + 'scores:\n'.length)
    .split(/\n(?= {2}- name: )/)
    .filter((block) => /class: heuristic\//.test(block));
  writeFileSync(path, `name: Call Center QA rules\nscores:\n${ruleBlocks.join('\n')}\n`);
}
