// The cost of the run stream's fan-out (issue 30): 600,000 result lines given to the run folder,
// provenance, metrics, report rows and a callback, by the inline loop evaluate had before and by
// SinkSet.add, alternating in one process (so both see the same load of a shared machine).
// Usage: node bench/sink-fanout.mjs [runs]   (bundles bench/sink-fanout-entry.ts with esbuild)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('sink-fanout-entry.ts', import.meta.url));
// Inside core, so that its dependencies resolve from core's node_modules.
const outfile = fileURLToPath(new URL('../packages/core/.bench-sink-fanout.mjs', import.meta.url));
const esbuild = fileURLToPath(new URL('../node_modules/.bin/esbuild', import.meta.url));
const bundled = spawnSync(
  esbuild,
  [
    entry,
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--packages=external',
    `--outfile=${outfile}`,
    '--log-level=error',
  ],
  { stdio: 'inherit' },
);
if (bundled.status !== 0) throw new Error('esbuild failed');
console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}`,
);
const result = spawnSync(process.execPath, [outfile, process.argv[2] ?? '5'], { stdio: 'inherit' });
rmSync(outfile, { force: true });
process.exitCode = result.status ?? 1;
