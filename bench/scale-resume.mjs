// `plexus evaluate --resume` of a killed rule run at two sizes: peak RSS and wall seconds of the
// resume (the six rule scores of the call-center example). A kill is imitated by cutting a
// completed run's results.jsonl to its first half and marking the run running, as a kill leaves it.
// Before 2026-12-07 a resume kept every stored output: 384 MiB at 100,000 items, 2,062 at 1,000,000.
// Usage: node bench/scale-resume.mjs [small] [large]   (after `pnpm build`; default 100000 1000000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset, writeRulesCard } from './transcripts.mjs';

const sizes = [Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 1_000_000)];
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-resume-'));
const card = join(folder, 'rules.yaml');
writeRulesCard(card);
const env = { ...process.env, PLEXUS_CACHE_DIR: join(folder, 'cache') };

function plexus(args) {
  const begin = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', join(root, 'bench/rss-report.mjs'), cli, ...args],
    { encoding: 'utf8', env, maxBuffer: 1 << 26 },
  );
  if (result.status !== 0) throw new Error(`plexus ${args.join(' ')}: ${result.stderr}`);
  const peak = Number(/PEAK_RSS_KIB (\d+)/.exec(result.stderr)[1]) / 1024;
  return { peak, seconds: (performance.now() - begin) / 1000 };
}

/** Cuts the run's results to their first half (whole lines) and marks it running. */
function imitateKill(dir) {
  const path = join(dir, 'results.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`);
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  Object.assign(info, { status: 'running', ended_at: null, duration_s: null, error: null });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(info));
  return Math.floor(lines.length / 2);
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  '| items | lines kept | resume peak RSS (MiB) | resume wall s | load |\n| ---: | ---: | ---: | ---: | --- |',
);
for (const size of sizes) {
  const data = join(folder, `calls-${size}.jsonl`);
  await writeDataset(data, size);
  const dir = join(folder, `run-${size}`);
  plexus(['evaluate', card, '--data', data, '--out', dir, '--quiet', '--no-cache']);
  const kept = imitateKill(dir);
  const { peak, seconds } = plexus([
    'evaluate',
    card,
    '--data',
    data,
    '--resume',
    dir,
    '--quiet',
    '--no-cache',
  ]);
  console.log(`| ${size} | ${kept} | ${peak.toFixed(0)} | ${seconds.toFixed(1)} | ${load()} |`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(data, { force: true });
}
rmSync(folder, { recursive: true, force: true });
