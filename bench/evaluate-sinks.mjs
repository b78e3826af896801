// What the run stream costs (issue 30: evaluate as item source -> engine -> sinks): `plexus
// evaluate` of 100,000 items through the six rule scores (600,000 result lines), end to end and
// with the CLI's sinks, median of N runs. With a second argument, a copy of the packages' dist
// folders from before a change (same layout as packages/, node_modules linked), the two builds run
// in turns, so that both see the same load of a shared machine.
// Usage: node bench/evaluate-sinks.mjs [runs] [before-root]   (after building core and cli)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset, writeRulesCard } from './transcripts.mjs';

const runs = Number(process.argv[2] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const builds = [['this tree', root]];
if (process.argv[3]) builds.push(['before', process.argv[3]]);
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-sinks-'));

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

const card = join(folder, 'rules.yaml');
writeRulesCard(card);
const data = join(folder, 'items-100k.jsonl');
await writeDataset(data, 100_000);
const seconds = new Map(builds.map(([name]) => [name, []]));
const cpu = new Map(builds.map(([name]) => [name, []]));
const loads = [];
for (let run = 0; run < runs; run += 1) {
  for (const [name, base] of builds) {
    const out = join(folder, `evaluate-${run}`);
    loads.push(loadavg()[0]);
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        // CPU seconds of the run (user + system), less moved by other jobs than the wall time.
        '--import',
        `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('cpu '+((u.userCPUTime+u.systemCPUTime)/1e6)+'\\n')})`,
        join(base, 'packages/cli/dist/bin.js'),
        'evaluate',
        card,
        '--data',
        data,
        '--out',
        out,
        '--json',
        '--no-cache',
      ],
      { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: '' } },
    );
    seconds.get(name).push((performance.now() - started) / 1000);
    cpu.get(name).push(Number(/cpu ([\d.]+)/.exec(result.stderr)?.[1] ?? Number.NaN));
    if (result.status !== 0) throw new Error(`run failed (${name}): ${result.stderr}`);
    rmSync(out, { recursive: true, force: true });
  }
}
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; ${runs} runs each; load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
);
console.log(
  '| build | wall, median (s) | wall, fastest (s) | CPU, median (s) | CPU, least (s) | lines/s (median wall) | wall of each run (s) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const [name, values] of seconds) {
  const wall = median(values);
  console.log(
    `| ${name} | ${wall.toFixed(2)} | ${Math.min(...values).toFixed(2)} | ${median(cpu.get(name)).toFixed(2)} | ${Math.min(...cpu.get(name)).toFixed(2)} | ${Math.round(600_000 / wall)} | ${values.map((value) => value.toFixed(2)).join(', ')} |`,
  );
}
rmSync(folder, { recursive: true, force: true });
