// Scale of scorecards (issue 22): `plexus validate` of one keywords score with 10,000 to 370,000
// phrases (370,000 is just under the 10 MiB scorecard limit), the 900,000-phrase probe (refused by
// the limit), the cost of one regex per phrase (what loading did before) against the PhraseIndex
// built now, and scoring call transcripts with 100,000 phrases.
// Usage: node bench/keywords-scale.mjs [runs]   (after `pnpm build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keywordsFactory } from '@plexus/classifier-heuristic';
import { PhraseIndex } from '@plexus/core';
import { calls } from './transcripts.mjs';

const runs = Number(process.argv[2] ?? 3);
const cli = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'plexus-keywords-scale-'));

/** `count` distinct made-up phrases of 1 to 3 words, the same on every run. */
function phrases(count) {
  const syllables = ['ka', 'lo', 'mi', 'ta', 'ren', 'vos', 'pel', 'dor', 'ix', 'um'];
  const more = ['sa', 'be', 'qu', 'zi', 'no', 'ar', 'el', 'tr', 'os', 'ung'];
  const all = [...syllables, ...more];
  let state = 42;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const word = () => {
    let text = '';
    for (let index = 2 + Math.floor(random() * 3); index > 0; index -= 1)
      text += all[Math.floor(random() * all.length)];
    return text;
  };
  const set = new Set();
  while (set.size < count)
    set.add(Array.from({ length: 1 + Math.floor(random() * 3) }, word).join(' '));
  return [...set];
}

function writeCard(list) {
  const path = join(dir, `card-${list.length}.yaml`);
  const lines = ['name: Scale', 'scores:', '  - name: Many', '    class: heuristic/keywords'];
  lines.push('    phrases:');
  for (const phrase of list) lines.push(`      - ${JSON.stringify(phrase)}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time (s) and peak RSS (MiB) of `plexus validate`, median of `runs`. */
function validate(path) {
  const walls = [];
  const peaks = [];
  let last;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    last = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'validate', path], {
      encoding: 'utf8',
    });
    walls.push((performance.now() - started) / 1000);
    peaks.push(Number(last.stderr.trim().split('\n').at(-1)) / 1024);
  }
  const message = last.status === 0 ? last.stdout : last.stderr.split('\n')[0];
  return { wall: median(walls), peak: median(peaks), code: last.status, message };
}

const rows = [];
for (const count of [10_000, 100_000, 370_000, 900_000]) {
  const list = phrases(count);
  const path = writeCard(list);
  const result = validate(path);
  const megabytes = statSync(path).size / 1024 / 1024;
  rows.push({ count, megabytes, ...result });
  console.log(
    `validate ${count.toLocaleString('en')} phrases (${megabytes.toFixed(1)} MiB): exit ${result.code}, ${result.wall.toFixed(2)} s, ${result.peak.toFixed(0)} MiB${result.code === 0 ? '' : `: ${result.message.trim()}`}`,
  );
}

// What loading cost before: one compiled regex per phrase (as PhraseMatcher built them), against
// the index built now, in this process, for the same 100,000 phrases.
const hundredThousand = phrases(100_000);
{
  const options = { wholeWord: true, caseSensitive: false };
  let started = performance.now();
  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const phrase of hundredThousand) {
    const body = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
    new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'giu');
  }
  const perPhrase = (performance.now() - started) / 1000;
  started = performance.now();
  new PhraseIndex(hundredThousand, options);
  const indexed = (performance.now() - started) / 1000;
  console.log(
    `100,000 phrases: a regex each ${perPhrase.toFixed(2)} s, one PhraseIndex ${indexed.toFixed(2)} s (${(perPhrase / indexed).toFixed(0)}x)`,
  );
}

// Scoring: 2,000 call transcripts (about 600 characters each) against 100,000 phrases, `any`.
const texts = calls().map((call) => call.text);
const items = Array.from({ length: 2000 }, (_, index) => ({
  id: String(index),
  text: texts[index % texts.length],
  metadata: {},
  results: {},
}));
const env = { name: 'Many', labels: ['yes', 'no'], baseDir: '.', cacheDir: '.', dependsOn: [] };
// Two phrases that occur in the calls, last in the list: every other phrase is searched first.
const settings = keywordsFactory.settingsSchema.parse({
  phrases: [...hundredThousand, 'harper valley', 'my account'],
});
const score = await keywordsFactory.create(settings, env);
const seconds = [];
let yes = 0;
for (let run = 0; run < runs; run += 1) {
  const started = performance.now();
  yes = 0;
  for (let start = 0; start < items.length; start += score.maxBatchSize) {
    const outputs = await score.doScore({
      items: items.slice(start, start + score.maxBatchSize),
      signal: new AbortController().signal,
      context: { scorecard: 'bench' },
    });
    for (const output of outputs) if (output.value === 'yes') yes += 1;
  }
  seconds.push((performance.now() - started) / 1000);
}
console.log(
  `scoring ${items.length} transcripts with 100,002 phrases: ${(items.length / median(seconds)).toFixed(0)} items/s (${yes} matched)`,
);
rmSync(dir, { recursive: true, force: true });
