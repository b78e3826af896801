// Where the test suite's time goes: runs each named workspace folder's vitest suite one at a time
// (never all at once: the machine may be shared) and prints, per folder, the wall time, the CPU
// seconds of every process it started, and each test file's duration. CPU seconds compare fairly
// between a busy and an idle machine; wall time does not. CPU is read from a cgroup (v1 cpuacct)
// when one can be made, so servers that detach (MLflow, Spark's JVM) are counted; otherwise from
// /usr/bin/time, which misses them (the line says which).
// Usage: node scripts/time-tests.mjs [--json out.json] packages/cli examples/spam ...
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
if (args.length === 0) {
  console.error('usage: node scripts/time-tests.mjs [--json out.json] <folder>...');
  process.exit(2);
}

const cpuacct = '/sys/fs/cgroup/cpuacct';

/** A fresh cpuacct cgroup, or undefined where none can be made. */
function cgroup(folder) {
  const dir = join(cpuacct, `plexus-time-${process.pid}-${folder.replaceAll('/', '-')}`);
  try {
    mkdirSync(dir);
    return existsSync(join(dir, 'cpuacct.usage')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function timeSuite(folder) {
  const dir = join(root, folder);
  const scratch = mkdtempSync(join(tmpdir(), 'plexus-time-tests-'));
  const report = join(scratch, 'vitest.json');
  const times = join(scratch, 'time.txt');
  const group = cgroup(folder);
  const vitest = `npx vitest run --reporter=json --outputFile=${report}`;
  // The shell joins the cgroup, then becomes vitest: every process it starts is counted.
  const command = group ? `echo $$ > ${group}/cgroup.procs && exec ${vitest}` : `exec ${vitest}`;
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', times, 'sh', '-c', command], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const [wall, user, system] = readFileSync(times, 'utf8')
    .trim()
    .split('\n')
    .at(-1)
    .split(' ')
    .map(Number);
  let cpu = user + system;
  let cpuFrom = 'time';
  if (group) {
    cpu = Number(readFileSync(join(group, 'cpuacct.usage'), 'utf8')) / 1e9;
    cpuFrom = 'cgroup';
    try {
      rmdirSync(group);
    } catch {
      console.error(`${folder}: processes outlived the suite in ${group}`);
    }
  }
  let files = [];
  let counts = { passed: 0, failed: 0 };
  try {
    const parsed = JSON.parse(readFileSync(report, 'utf8'));
    counts = { passed: parsed.numPassedTests, failed: parsed.numFailedTests };
    files = parsed.testResults.map((result) => ({
      file: relative(dir, result.name),
      seconds: Math.round(result.endTime - result.startTime) / 1000,
      tests: result.assertionResults.length,
    }));
  } catch {
    console.error(`${folder}: no vitest report (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
  }
  files.sort((a, b) => b.seconds - a.seconds);
  return {
    folder,
    exit: run.status,
    wall,
    cpu: Math.round(cpu * 10) / 10,
    cpuFrom,
    ...counts,
    files,
  };
}

const suites = [];
for (const folder of args) {
  const suite = timeSuite(folder);
  suites.push(suite);
  console.log(
    `${suite.folder}: ${suite.wall} s wall, ${suite.cpu} s CPU (${suite.cpuFrom}), ${suite.passed} passed, ${suite.failed} failed (exit ${suite.exit})`,
  );
  for (const file of suite.files)
    console.log(`  ${String(file.seconds).padStart(8)} s  ${file.file} (${file.tests} tests)`);
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(suites, null, 2)}\n`);
