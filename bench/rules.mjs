// Rule scores over 100,000 transcripts vs a bare regex loop over the same texts and patterns.
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
    name: 'regex (1 pattern, RE2 in-thread)',
    factory: regexFactory,
    settings: { patterns: ['how (can|may|could) i (help|assist)'] },
    bare: [/how (can|may|could) i (help|assist)/i],
  },
  {
    name: 'keywords, agent turns only',
    factory: keywordsFactory,
    settings: { phrases: ['harper valley national bank', 'how can i help'], speaker: 'agent' },
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
console.log('| rule | bare loop (items/s) | Plexus score (items/s) | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const entry of cases) {
  const score = await entry.factory.create(entry.factory.settingsSchema.parse(entry.settings), env);
  const bareRates = [];
  const scoreRates = [];
  for (let run = 0; run < runs; run += 1) {
    let started = performance.now();
    const bareHits = bareLoop(entry.bare);
    bareRates.push(count / ((performance.now() - started) / 1000));
    started = performance.now();
    const scoreHits = await scoreAll(score);
    scoreRates.push(count / ((performance.now() - started) / 1000));
    // Only the unscoped cases must agree with the bare loop; the agent-only case reads less text.
    if (!entry.settings.speaker && scoreHits !== bareHits)
      throw new Error(`${entry.name}: ${scoreHits} hits vs ${bareHits}`);
  }
  await score.close?.();
  const bare = median(bareRates);
  const plexus = median(scoreRates);
  console.log(
    `| ${entry.name} | ${Math.round(bare)} | ${Math.round(plexus)} | ${(plexus / bare).toFixed(2)} |`,
  );
}
