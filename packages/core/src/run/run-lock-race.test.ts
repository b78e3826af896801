import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// Two `--resume`s of a killed run, started together under load: the lock file was created empty
// and written after, so the other taker read it as unreadable (stale), removed it and took the
// lock too; both resumed the run (CI saw one exit 1). A lock is now created with its holder in
// one step (a link of a file already written).
const core = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** A process id of this host that no longer runs. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout as unknown as number;
}

/**
 * `takers` processes, each taking the lock once, all released at the same moment; one that takes
 * it holds it until every process has said how it went (a taker started late under load would
 * otherwise find the first one's lock stale, rightly, and take it over).
 */
async function race(dir: string, takers: number): Promise<string[]> {
  const start = Date.now() + 1500;
  const done = join(dir, 'done');
  const script = `import { existsSync } from 'node:fs';
import { RunLock } from ${JSON.stringify(core)};
while (Date.now() < ${start}) {}
try {
  RunLock.acquire(${JSON.stringify(dir)}, 'race');
  console.log('took');
  const wait = setInterval(() => { if (existsSync(${JSON.stringify(done)})) clearInterval(wait); }, 20);
} catch (error) { console.log(error.constructor.name + ': ' + error.message.split(';')[0]); }`;
  const said: string[] = [];
  const say = (outcome: string) => {
    said.push(outcome);
    if (said.length === takers) writeFileSync(done, '');
  };
  const children = Array.from({ length: takers }, () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let out = '';
    let errors = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.endsWith('\n')) say(out.trim());
    });
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    // A taker that ended without a word (it could not start: core's dist rebuilt under it) is an
    // outcome too: the one that took the lock waited for it for ever (the test timed out).
    return new Promise<void>((resolve) =>
      child.on('close', (code) => {
        if (!out.endsWith('\n'))
          say(`ended without a word (exit ${code}): ${errors.slice(0, 300)}`);
        resolve();
      }),
    );
  });
  await Promise.all(children);
  return said;
}

it('over a stale lock, exactly one of many takers started together takes it; the others are told it is in use', async () => {
  for (let round = 0; round < 2; round += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-lock-race-'));
    const stale = {
      pid: Number(deadPid()),
      host: hostname(),
      started_at: new Date().toISOString(),
      command: 'evaluate',
    };
    writeFileSync(join(dir, 'run.lock'), `${JSON.stringify(stale)}\n`);
    const outcomes = await race(dir, 8);
    expect(
      outcomes.filter((outcome) => outcome === 'took'),
      outcomes.join('\n'),
    ).toHaveLength(1);
    for (const outcome of outcomes.filter((outcome) => outcome !== 'took'))
      expect(outcome).toMatch(/^InvalidConfigError: .*: the run folder is in use by process \d+/);
    // No file of a taker is left beside the lock.
    expect(readdirSync(dir).filter((name) => name !== 'run.lock' && name !== 'done')).toEqual([]);
  }
});

it('a lock file is never seen empty: another process reading it while locks come and go', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-lock-empty-'));
  const run = (script: string) =>
    new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.on('close', () => resolve(out.trim()));
    });
  const taker = `import { RunLock } from ${JSON.stringify(core)};
for (let i = 0; i < 1500; i += 1) RunLock.acquire(${JSON.stringify(dir)}, 'probe').release();`;
  const reader = `import { readFileSync } from 'node:fs';
let empty = 0, reads = 0; const end = Date.now() + 2000;
while (Date.now() < end) { try { reads += 1; if (readFileSync(${JSON.stringify(join(dir, 'run.lock'))}, 'utf8') === '') empty += 1; } catch {} }
console.log(JSON.stringify({ reads, empty }));`;
  const [, seen] = await Promise.all([run(taker), run(reader)]);
  // Created empty then written, 1,905-8,630 of 7,843-13,636 reads saw it empty (so, stale).
  expect(JSON.parse(seen)).toMatchObject({ empty: 0 });
});
