// The floor of the rules end-to-end row (issue 28): what any program must do for the call-center
// rules card over a JSONL file: read it line by line, test six regexes on each item's text, write
// one result line per item and score. No explanation, no trace, no metrics, no report.
// Two ways of writing, both straightforward: in 64 KB chunks (default, the fastest), or one
// `stream.write` per result line (`--per-line`, as the floor was measured).
// `--same-bytes`: in chunks, lines with every field evaluate writes (gold label and `correct`, an
// explanation quoting the match, a trace of the hit, zero costs, latency, the item's text capped
// at 2,000 characters on its first line): the floor of writing what `plexus evaluate` writes.
// Usage: node bench/rules-floor-loop.mjs DATA.jsonl OUT.jsonl [--per-line | --same-bytes]
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [data, out, mode] = process.argv.slice(2);
const perLine = mode === '--per-line';
const sameBytes = mode === '--same-bytes';
const scores = [
  [
    'Greeting',
    /(?<![\p{L}\p{N}_])harper\s+valley\s+national\s+bank(?![\p{L}\p{N}_])/iu,
    'greeting',
  ],
  ['Asks How To Help', /how (can|may|could) i (help|assist)/i, 'asks_how_to_help'],
  [
    'About Card',
    /(?<![\p{L}\p{N}_])(card|debit\s+card|credit\s+card)(?![\p{L}\p{N}_])/iu,
    'about_card',
  ],
  ['Asks Which Card', /which (card|one)|(debit|credit) (card|or)/i],
  ['Call Length', /^(?:[^\n]*\n){8,}/],
  ['Opening Compliant', /harper valley[\s\S]*how (can|may|could) i/i, 'opening_compliant'],
];

/** The line `plexus evaluate` would write for this answer, its fields in evaluate's order. */
function fullLine(item, score, pattern, goldColumn, first) {
  const match = pattern.exec(item.text);
  const value = match ? 'yes' : 'no';
  const label = goldColumn ? (item[goldColumn] ?? null) : null;
  let turn = 1;
  for (let at = item.text.indexOf('\n'); match && at >= 0 && at < match.index; turn += 1)
    at = item.text.indexOf('\n', at + 1);
  const start = match ? match.index : 0;
  const snippet = match ? item.text.slice(Math.max(0, start - 20), start + 50) : '';
  const found = match ? match[0].slice(0, 30) : '';
  const line = {
    item_id: item.id,
    score,
    value,
    status: 'ok',
    label,
    correct: label === null ? null : label === value,
    explanation: match
      ? `match (any): found "${found}" in turn ${turn}: "${snippet}…"`
      : `no match (any): not found: "${score.toLowerCase()}"`,
    confidence: 1,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: 0,
    retries: 0,
    latency_ms: 0.012345,
    cached: false,
    error: null,
    trace: {
      hits: match
        ? [
            {
              phrase: found.toLowerCase(),
              matched: found,
              speaker: 'agent',
              turn,
              start,
              similarity: 100,
              negated_by: null,
            },
          ]
        : [],
    },
  };
  if (first) line.text = item.text.slice(0, 2000);
  return line;
}
const sink = createWriteStream(out);
let chunk = '';
for await (const text of createInterface({ input: createReadStream(data), crlfDelay: Infinity })) {
  if (text === '') continue;
  const item = JSON.parse(text);
  for (const [score, pattern, goldColumn] of scores) {
    const line = sameBytes
      ? `${JSON.stringify(fullLine(item, score, pattern, goldColumn, score === 'Greeting'))}\n`
      : `${JSON.stringify({ item_id: item.id, score, status: 'ok', value: pattern.test(item.text) ? 'yes' : 'no' })}\n`;
    if (!perLine) chunk += line;
    else if (!sink.write(line)) await new Promise((resolve) => sink.once('drain', resolve));
  }
  if (chunk.length > 65_536) {
    if (!sink.write(chunk)) await new Promise((resolve) => sink.once('drain', resolve));
    chunk = '';
  }
}
sink.end(chunk);
await new Promise((resolve) => sink.once('finish', resolve));
