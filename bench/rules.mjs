// Rule scores over 100,000 transcripts vs a bare regex loop over the same texts and patterns, and
// vs a loop written by hand that gives the same kind of answer (label, where, quote, trace).
// Usage: node bench/rules.mjs [runs]   (after `pnpm build`)
import { cpus } from 'node:os';
import { keywordsFactory, regexFactory } from '@plexus/classifier-heuristic';
import { calls } from './transcripts.mjs';

const runs = Number(process.argv[2] ?? 5);
const count = 100_000;
const rows = calls();
const texts = Array.from({ length: count }, (_, index) => rows[index % rows.length].text);
const items = texts.map((text, index) => ({ id: String(index), text, metadata: {}, results: {} }));
const env = { name: 'Bench', labels: ['yes', 'no'], baseDir: '.', cacheDir: '.', dependsOn: [] };

const cases = [
  {
    name: 'keywords (2 phrases, any, whole words)',
    factory: keywordsFactory,
    settings: { phrases: ['harper valley national bank', 'how can i help'] },
    bare: [
      /(?<![\p{L}\p{N}_])harper\s+valley\s+national\s+bank(?![\p{L}\p{N}_])/iu,
      /(?<![\p{L}\p{N}_])how\s+can\s+i\s+help(?![\p{L}\p{N}_])/iu,
    ],
  },
  {
    name: 'regex (1 pattern, per turn, time-limited)',
    factory: regexFactory,
    settings: { patterns: ['how (can|may|could) i (help|assist)'] },
    bare: [/how (can|may|could) i (help|assist)/i],
  },
  {
    name: 'keywords, agent turns only',
    factory: keywordsFactory,
    settings: { phrases: ['harper valley national bank', 'how can i help'], speaker: 'agent' },
    agentOnly: true,
    bare: [
      /(?<![\p{L}\p{N}_])harper\s+valley\s+national\s+bank(?![\p{L}\p{N}_])/iu,
      /(?<![\p{L}\p{N}_])how\s+can\s+i\s+help(?![\p{L}\p{N}_])/iu,
    ],
  },
];

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function bareLoop(patterns) {
  let hits = 0;
  for (const text of texts) if (patterns.some((pattern) => pattern.test(text))) hits += 1;
  return hits;
}

/**
 * The least a rule that explains itself does, written inline: the first hit, its line's speaker
 * and turn number, a quote around it, an explanation and a trace, kept per batch of 256 as the
 * score's outputs are. (Agent-only: lines starting with `Agent:`.)
 */
function handLoop(patterns, agentOnly) {
  let hits = 0;
  let batch = [];
  for (const text of texts) {
    let match;
    let base = 0;
    for (const pattern of patterns) {
      if (agentOnly) {
        for (let from = 0; from < text.length && !match; ) {
          const newline = text.indexOf('\n', from);
          const end = newline === -1 ? text.length : newline;
          if (text.startsWith('Agent:', from)) {
            match = pattern.exec(text.slice(from + 7, end));
            base = from + 7;
          }
          from = end + 1;
        }
      } else match = pattern.exec(text);
      if (match) break;
    }
    let output;
    if (match) {
      const start = base + match.index;
      const end = start + match[0].length;
      let turn = 1;
      for (let at = text.indexOf('\n'); at !== -1 && at < start; at = text.indexOf('\n', at + 1))
        turn += 1;
      const lineStart = text.lastIndexOf('\n', start) + 1;
      const speaker = text.slice(lineStart, text.indexOf(':', lineStart)).toLowerCase();
      const from = Math.max(0, start - 30);
      const to = Math.min(text.length, end + 30);
      const quote = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
      output = {
        value: 'yes',
        status: 'ok',
        confidence: 1,
        explanation: `match: found "${match[0]}" in ${speaker} turn ${turn}: "${quote}"`,
        trace: { hits: [{ matched: match[0], speaker, turn, start }] },
      };
    } else {
      output = {
        value: 'no',
        status: 'ok',
        confidence: 1,
        explanation: 'no match',
        trace: { hits: [] },
      };
    }
    batch.push(output);
    if (batch.length === 256) batch = [];
    if (output.value === 'yes') hits += 1;
  }
  return hits;
}

async function scoreAll(score) {
  let hits = 0;
  const signal = new AbortController().signal;
  for (let start = 0; start < items.length; start += score.maxBatchSize) {
    const batch = items.slice(start, start + score.maxBatchSize);
    const outputs = await score.doScore({ items: batch, signal, context: { scorecard: 'bench' } });
    for (const output of outputs) {
      if (output.status !== 'ok')
        throw new Error(`unexpected ${output.status}: ${output.error?.message}`);
      if (output.value === 'yes') hits += 1;
    }
  }
  return hits;
}

console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; ${count} transcripts, median of ${runs}`,
);
console.log(
  '| rule | bare loop (items/s) | by hand, explained (items/s) | Plexus score (items/s) | Plexus / bare | Plexus / by hand |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const entry of cases) {
  const score = await entry.factory.create(entry.factory.settingsSchema.parse(entry.settings), env);
  const bareRates = [];
  const handRates = [];
  const scoreRates = [];
  for (let run = 0; run < runs; run += 1) {
    let started = performance.now();
    const bareHits = bareLoop(entry.bare);
    bareRates.push(count / ((performance.now() - started) / 1000));
    started = performance.now();
    handLoop(entry.bare, entry.agentOnly);
    handRates.push(count / ((performance.now() - started) / 1000));
    started = performance.now();
    const scoreHits = await scoreAll(score);
    scoreRates.push(count / ((performance.now() - started) / 1000));
    // Only the unscoped cases must agree with the bare loop; the agent-only case reads less text.
    if (!entry.settings.speaker && scoreHits !== bareHits)
      throw new Error(`${entry.name}: ${scoreHits} hits vs ${bareHits}`);
  }
  await score.close?.();
  const bare = median(bareRates);
  const hand = median(handRates);
  const plexus = median(scoreRates);
  console.log(
    `| ${entry.name} | ${Math.round(bare)} | ${Math.round(hand)} | ${Math.round(plexus)} | ${(plexus / bare).toFixed(2)} | ${(plexus / hand).toFixed(2)} |`,
  );
}
