// The floor of the warm-cache row (issue 28): what any program must do to answer N items from a
// cache of LLM results, as a whole process: read the CSV, load the cache's index (key -> entry),
// and per item hash its key (SHA-256), look the entry up, parse it, and write one result line with
// the fields `plexus evaluate` writes (64 KB chunks). No scorecard, no metrics, no report.
// Setup (not timed): node bench/warm-floor-loop.mjs --setup DATA.csv PLEXUS_RESULTS_LOG_DIR OUT_LOG
//   writes a log of the same entries as Plexus's results cache (`key<TAB>json` lines), keyed here.
// Timed: node bench/warm-floor-loop.mjs DATA.csv LOG OUT.jsonl
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);

/** The CSV's rows (`id,text`, no quoting: bench/llm-evaluate-floor.mjs writes them so). */
function rowsOf(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const comma = line.indexOf(',');
      return { id: line.slice(0, comma), text: line.slice(comma + 1) };
    });
}

const keyOf = (text) =>
  createHash('sha256')
    .update(JSON.stringify({ fingerprint: 'floor', text, metadata: {}, upstream: {} }))
    .digest('hex');

if (args[0] === '--setup') {
  const [, data, logDir, out] = args;
  const entries = readdirSync(logDir)
    .flatMap((name) => readFileSync(join(logDir, name), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => line.slice(line.indexOf('\t') + 1));
  const rows = rowsOf(data);
  const lines = rows.map(
    (row, index) => `${keyOf(row.text)}\t${entries[index % entries.length]}\n`,
  );
  writeFileSync(out, lines.join(''));
} else {
  const [data, log, out] = args;
  const index = new Map();
  for (const line of readFileSync(log, 'utf8').split('\n'))
    if (line) index.set(line.slice(0, 64), line);
  const fd = openSync(out, 'w');
  let chunk = '';
  for (const row of rowsOf(data)) {
    const hit = JSON.parse(index.get(keyOf(row.text)).slice(65));
    const result = {
      item_id: row.id,
      score: 'Spam',
      value: hit.value,
      status: hit.status,
      label: null,
      correct: null,
      explanation: hit.explanation,
      confidence: null,
      cost_usd: 0,
      input_tokens: 0,
      output_tokens: 0,
      llm_calls: 0,
      retries: 0,
      latency_ms: 0,
      cached: true,
      error: null,
      trace: hit.trace,
      text: row.text,
    };
    chunk += `${JSON.stringify(result)}\n`;
    if (chunk.length > 65_536) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}
