// Rules end to end vs its floor (issue 28), in one script run: `plexus evaluate` of the call-center
// rules card (six rule scores) over N transcripts (JSONL), and bench/rules-floor-loop.mjs (read the
// JSONL, test six regexes, write one result line per item and score) in its two ways of writing
// (64 KB chunks; one write per line, as the issue measured it), each a whole process, in turns,
// N rounds. Target: evaluate >= 0.5x the floor's items/s. A third floor writes the same fields as
// evaluate (explanations, traces, the item's text; `--same-bytes`): the bytes of each are printed.
// Usage: node bench/rules-floor.mjs [items] [rounds]   (after building core, cli, heuristic)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset, writeRulesCard } from './transcripts.mjs';

const items = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const here = fileURLToPath(new URL('.', import.meta.url));
const cli = join(here, '../packages/cli/dist/bin.js');
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-rules-floor-'));
const card = join(folder, 'rules.yaml');
writeRulesCard(card);
const data = join(folder, 'items.jsonl');
await writeDataset(data, items);

/** Wall seconds of one process run from bench/ (score packages resolve from here). */
function timed(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: here,
    env: { ...process.env, MLFLOW_TRACKING_URI: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`);
  return (performance.now() - started) / 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; ${items.toLocaleString('en')} items`,
);
console.log(
  '| round | load average | evaluate s | floor s (chunks) | floor s (per line) | floor s (same bytes) | evaluate items/s | floor items/s (chunks) | ratio (chunks) | ratio (per line) | ratio (same bytes) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const ratios = [];
const perLineRatios = [];
const sameBytesRatios = [];
const megabytes = (path) => `${(statSync(path).size / 1e6).toFixed(0)} MB`;
let sizes = '';
for (let round = 1; round <= rounds; round += 1) {
  const load = loadavg()[0].toFixed(1);
  const out = join(folder, `run-${round}`);
  const evaluate = timed([
    cli,
    'evaluate',
    card,
    '--data',
    data,
    '--out',
    out,
    '--no-cache',
    '--quiet',
  ]);
  const evaluateBytes = megabytes(join(out, 'results.jsonl'));
  rmSync(out, { recursive: true, force: true });
  const floorOut = join(folder, 'floor.jsonl');
  const floor = timed([join(here, 'rules-floor-loop.mjs'), data, floorOut]);
  const perLine = timed([join(here, 'rules-floor-loop.mjs'), data, floorOut, '--per-line']);
  const floorBytes = megabytes(floorOut);
  const same = timed([join(here, 'rules-floor-loop.mjs'), data, floorOut, '--same-bytes']);
  sizes = `results.jsonl ${evaluateBytes}; floor ${floorBytes}; same-bytes floor ${megabytes(floorOut)}`;
  rmSync(floorOut, { force: true });
  ratios.push(floor / evaluate);
  perLineRatios.push(perLine / evaluate);
  sameBytesRatios.push(same / evaluate);
  console.log(
    `| ${round} | ${load} | ${evaluate.toFixed(2)} | ${floor.toFixed(2)} | ${perLine.toFixed(2)} | ${same.toFixed(2)} | ${Math.round(items / evaluate).toLocaleString('en')} | ${Math.round(items / floor).toLocaleString('en')} | ${(floor / evaluate).toFixed(2)}x | ${(perLine / evaluate).toFixed(2)}x | ${(same / evaluate).toFixed(2)}x |`,
  );
}
console.log(
  `median ratio ${median(ratios).toFixed(2)}x (chunked floor), ${median(perLineRatios).toFixed(2)}x (per-line floor), ${median(sameBytesRatios).toFixed(2)}x (same-bytes floor); ${sizes}`,
);
rmSync(folder, { recursive: true, force: true });
