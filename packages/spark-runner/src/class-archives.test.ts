// The tests' Spark class-data archives (scripts/spark-test-jvm.sh, about 170 MB each, one per
// checkout path) are bounded: localSpark() removes those of checkouts that no longer exist and
// those that name none (made before the `.bin` file), never one a process maps or whose lock is
// held, nor the one it returns.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { localSpark } from './testing.js';

const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) {
    child.stdout?.destroy();
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  }
});

/** A process that holds `path` until killed, having said `ready` once it does. */
async function holding(command: string, args: string[]): Promise<void> {
  // Its own process group, killed whole (flock's shell and sleep too).
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  }).finally(() => {
    child.removeAllListeners('exit');
  });
}

/** An archive with its side files, as the script leaves them; `checkout` for its `.bin`. */
function archive(cache: string, key: string, checkout?: string): string {
  const path = join(cache, `spark-cds-${key}.jsa`);
  writeFileSync(path, Buffer.alloc(4096, 1));
  writeFileSync(`${path}.ok`, '4096 0 0\n');
  writeFileSync(`${path}.lock`, '');
  if (checkout !== undefined) writeFileSync(`${path}.bin`, `${checkout}\n`);
  return path;
}

it('removes the archives of deleted checkouts and of none, keeping those in use, locked or current', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'plexus-cds-prune-'));
  const live = mkdtempSync(join(tmpdir(), 'plexus-checkout-'));
  mkdirSync(join(live, 'bin'));
  const gone = join(tmpdir(), 'plexus-checkout-deleted-long-ago', 'bin');
  // The one the options name, made before `.bin` files: it gets one naming this checkout.
  const current = archive(cache, '0000000000000001');
  const ofLive = archive(cache, '0000000000000002', join(live, 'bin'));
  const ofGone = archive(cache, '0000000000000003', gone);
  const legacy = archive(cache, '0000000000000004');
  const mapped = archive(cache, '0000000000000005', gone);
  const locked = archive(cache, '0000000000000006');
  // A failed attempt's log (it stops a checkout's tests from trying again; it names no checkout).
  const failed = join(cache, 'spark-cds-0000000000000007.jsa.failed');
  writeFileSync(failed, 'the warm-up job failed');
  // A half-written archive of a script killed with SIGKILL (its process gone), and one being written.
  writeFileSync(`${ofGone}.999999999.tmp`, 'partial');
  writeFileSync(`${ofLive}.${process.pid}.tmp`, 'partial');
  // A JVM maps the archive it runs with; a script checking or making one holds its lock.
  const python = localSpark().python;
  await holding(python, [
    '-c',
    'import mmap, sys, time\nf = open(sys.argv[1], "rb")\nm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)\nf.close()\nprint("ready", flush=True)\ntime.sleep(600)',
    mapped,
  ]);
  await holding('flock', [`${locked}.lock`, 'sh', '-c', 'echo ready; sleep 600']);

  const before = process.env.PLEXUS_TEST_SPARK_JAVA_OPTIONS;
  process.env.PLEXUS_TEST_SPARK_JAVA_OPTIONS = `-XX:+UseSerialGC -XX:SharedArchiveFile=${current}`;
  try {
    expect(localSpark().javaOptions).toBe(`-XX:+UseSerialGC -XX:SharedArchiveFile=${current}`);
  } finally {
    if (before === undefined) delete process.env.PLEXUS_TEST_SPARK_JAVA_OPTIONS;
    else process.env.PLEXUS_TEST_SPARK_JAVA_OPTIONS = before;
  }
  for (const kept of [current, ofLive, mapped, locked]) expect(existsSync(kept)).toBe(true);
  expect(readFileSync(`${current}.bin`, 'utf8')).toBe(`${dirname(localSpark().sparkSubmit)}\n`);
  for (const removed of [ofGone, legacy]) expect(existsSync(removed)).toBe(false);
  expect(readdirSync(cache).sort()).toEqual(
    [
      ...[current, ofLive, mapped].flatMap((path) => [
        path,
        `${path}.bin`,
        `${path}.lock`,
        `${path}.ok`,
      ]),
      `${ofLive}.${process.pid}.tmp`,
      locked,
      `${locked}.lock`,
      `${locked}.ok`,
      failed,
    ]
      .map((path) => path.slice(cache.length + 1))
      .sort(),
  );
});
