// Peak memory of `plexus evaluate` over 10,000 and 100,000 items (issue: bounded memory), with the
// example's six rule scores.
// Usage: node bench/memory.mjs [runs]   (after `pnpm build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset, writeRulesCard } from './transcripts.mjs';

const runs = Number(process.argv[2] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-memory-'));
const card = join(folder, 'rules.yaml');
writeRulesCard(card);

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(data, label) {
  const peaks = [];
  const seconds = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        join(root, 'bench/rss-report.mjs'),
        cli,
        'evaluate',
        card,
        '--data',
        data,
        '--out',
        join(folder, `${label}-${run}`),
        '--json',
        '--no-cache',
      ],
      { encoding: 'utf8' },
    );
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`run failed: ${result.stderr}`);
    // A fast run that failed is no result: every item must have all its results, none an error.
    const summary = JSON.parse(result.stdout);
    if (
      summary.errors !== 0 ||
      summary.results !== summary.items * Object.keys(summary.scores).length
    ) {
      throw new Error(
        `run had ${summary.errors} errors and ${summary.results} results for ${summary.items} items`,
      );
    }
    peaks.push(Number(/PEAK_RSS_KIB (\d+)/.exec(result.stderr)[1]) / 1024);
  }
  return { peak: median(peaks), seconds: median(seconds) };
}

const small = join(folder, 'items-10k.jsonl');
const large = join(folder, 'items-100k.jsonl');
await writeDataset(small, 10_000);
await writeDataset(large, 100_000);
const a = measure(small, 'small');
const b = measure(large, 'large');
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}`,
);
console.log('| items | peak RSS (MiB, median) | wall (s) | items/s |');
console.log('| ---: | ---: | ---: | ---: |');
console.log(
  `| 10,000 | ${a.peak.toFixed(1)} | ${a.seconds.toFixed(2)} | ${Math.round(10_000 / a.seconds)} |`,
);
console.log(
  `| 100,000 | ${b.peak.toFixed(1)} | ${b.seconds.toFixed(2)} | ${Math.round(100_000 / b.seconds)} |`,
);
console.log(`ratio 100k/10k peak RSS: ${(b.peak / a.peak).toFixed(3)} (target <= 1.2)`);
