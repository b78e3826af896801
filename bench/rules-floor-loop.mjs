// The floor of the rules end-to-end row (issue 28): what any program must do for the call-center
// rules card over a JSONL file: read it line by line, test six regexes on each item's text, write
// one result line per item and score. No explanation, no trace, no metrics, no report.
// Two ways of writing, both straightforward: in 64 KB chunks (default, the fastest), or one
// `stream.write` per result line (`--per-line`, as the floor was measured).
// Usage: node bench/rules-floor-loop.mjs DATA.jsonl OUT.jsonl [--per-line]
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [data, out, mode] = process.argv.slice(2);
const perLine = mode === '--per-line';
const scores = [
  ['Greeting', /(?<![\p{L}\p{N}_])harper\s+valley\s+national\s+bank(?![\p{L}\p{N}_])/iu],
  ['Asks How To Help', /how (can|may|could) i (help|assist)/i],
  ['About Card', /(?<![\p{L}\p{N}_])(card|debit\s+card|credit\s+card)(?![\p{L}\p{N}_])/iu],
  ['Asks Which Card', /which (card|one)|(debit|credit) (card|or)/i],
  ['Call Length', /^(?:[^\n]*\n){8,}/],
  ['Opening Compliant', /harper valley[\s\S]*how (can|may|could) i/i],
];
const sink = createWriteStream(out);
let chunk = '';
for await (const text of createInterface({ input: createReadStream(data), crlfDelay: Infinity })) {
  if (text === '') continue;
  const item = JSON.parse(text);
  for (const [score, pattern] of scores) {
    const value = pattern.test(item.text) ? 'yes' : 'no';
    const line = `${JSON.stringify({ item_id: item.id, score, status: 'ok', value })}\n`;
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
