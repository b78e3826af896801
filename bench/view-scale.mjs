// `plexus view` and `plexus review queue` over one big run folder (session 13): the viewer's first
// request (its index built), CPU seconds and peak RSS of the viewer process; a few filtered pages;
// then `review queue` by uncertainty and by disagreement under /usr/bin/time (CPU s, peak RSS).
// The sha256 (12 hex) of each page's rows (their words) and of each queue is printed: two builds'
// pages and queues compared.
// Usage: node bench/view-scale.mjs RUN_FOLDER [view|queue|both] [BEFORE_BIN]
//   (a run folder from `node bench/load.mjs rules 1000000 0`: its rules-run; after `pnpm build`).
//   BEFORE_BIN: another build's packages/cli bin.js, measured first in the same run (before/after).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const runFolder = resolve(process.argv[2] ?? '');
const which = process.argv[3] ?? 'both';
const builds = [
  ...(process.argv[4] ? [['before', resolve(process.argv[4])]] : []),
  ['now', fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url))],
];
let bin = builds.at(-1)[1];
const name = basename(runFolder);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12);
/** The words of a page's rows and pager, or of an item page (tags taken out: markup may differ). */
const rowsHash = (html) => {
  const rows = /<div class="pager">.*?<\/div>.*?<table id="items">.*?<\/table>/s.exec(html)?.[0];
  const body = rows ?? /<body>.*<\/body>/s.exec(html)?.[0] ?? html;
  return hash(body.replace(/<[^>]*>/g, '').replace(/\s+/g, ' '));
};

/** CPU seconds (user + system) of process `pid` so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak RSS (VmHWM) of process `pid`, MiB; `now`: its RSS at present (VmRSS). */
function peakMiB(pid, now = false) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${now ? 'VmRSS' : 'VmHWM'}:\\s+(\\d+)`).exec(status)[1]) / 1024;
}

async function viewer() {
  const child = spawn(process.execPath, [bin, 'view', runFolder, '--no-open', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((done, fail) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(text);
      if (found) done(found[0]);
    });
    child.on('exit', (code) => fail(new Error(`plexus view exited with ${code}`)));
  });
  const get = async (path) => {
    const cpuBefore = cpuSeconds(child.pid);
    const begin = performance.now();
    const response = await fetch(new URL(path, url));
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return { ms: performance.now() - begin, cpu: cpuSeconds(child.pid) - cpuBefore, body };
  };
  const first = await get(`/run/${name}`);
  console.log(
    `view first request (index built): ${(first.ms / 1000).toFixed(2)} s wall, ${first.cpu.toFixed(2)} CPU s, peak RSS ${peakMiB(child.pid).toFixed(0)} MiB, rows ${rowsHash(first.body)} (load ${load()})`,
  );
  const cases = [
    ['all, page 1', `/run/${name}`],
    ['score Card', `/run/${name}?score=Card`],
    ['predicted no', `/run/${name}?predicted=no`],
    ['text search "balance"', `/run/${name}?q=balance`],
    ['search explanations "not found"', `/run/${name}?q=not+found&in=explanations`],
    ['search, no match', `/run/${name}?q=zzzz-no-such-text`],
    ['page 5000', `/run/${name}?page=5000`],
    ['one item', `/run/${name}/item/item-77`],
  ];
  console.log(
    '| request | median ms (3) | CPU s | matching | rows sha |\n| --- | ---: | ---: | --- | --- |',
  );
  for (const [label, path] of cases) {
    const answers = [];
    for (let round = 0; round < 3; round += 1) answers.push(await get(path));
    answers.sort((left, right) => left.ms - right.ms);
    const matched = (
      /<span id="matched">(.*?)<\/span><(?:a|span) /.exec(answers[1].body)?.[1] ?? ''
    ).replace(/<[^>]*>/g, '');
    console.log(
      `| ${label} | ${answers[1].ms.toFixed(0)} | ${answers[1].cpu.toFixed(2)} | ${matched} | ${rowsHash(answers[1].body)} |`,
    );
  }
  console.log(
    `viewer peak RSS at the end: ${peakMiB(child.pid).toFixed(0)} MiB, RSS now ${peakMiB(child.pid, true).toFixed(0)} MiB (load ${load()})`,
  );
  child.kill('SIGTERM');
}

function queue(by) {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-queue-'));
  const out = join(folder, 'queue.csv');
  const scores = by === 'disagreement' ? ['--score', 'Greeting', '--score', 'Card'] : [];
  const timed = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'TIME %e %U %S %M',
      process.execPath,
      bin,
      'review',
      'queue',
      '--run',
      runFolder,
      '--by',
      by,
      ...scores,
      '--n',
      '50',
      '--out',
      out,
    ],
    { encoding: 'utf8' },
  );
  const [, wall, user, system, kib] = /TIME (\S+) (\S+) (\S+) (\d+)/.exec(timed.stderr) ?? [];
  if (timed.status !== 0) throw new Error(`review queue failed: ${timed.stderr}`);
  console.log(
    `review queue --by ${by}: ${wall} s wall, ${(Number(user) + Number(system)).toFixed(2)} CPU s, peak RSS ${(Number(kib) / 1024).toFixed(0)} MiB, csv ${hash(readFileSync(out, 'utf8'))}; ${timed.stdout.trim().split(';')[0]} (load ${load()})`,
  );
  rmSync(folder, { recursive: true, force: true });
}

for (const [build, path] of builds) {
  bin = path;
  console.log(`\n## ${build}: ${path}`);
  if (which !== 'queue') await viewer();
  if (which !== 'view') {
    queue('uncertainty');
    queue('disagreement');
  }
}
