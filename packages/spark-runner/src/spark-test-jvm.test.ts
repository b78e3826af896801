import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// scripts/spark-test-jvm.sh gives the tests' Spark JVM options; when the class-data archive cannot
// be made or kept (no flock, a cache folder it cannot write), the options come without it: the
// tests run, only slower, never fail on it.
const script = fileURLToPath(new URL('../../../scripts/spark-test-jvm.sh', import.meta.url));
const baseOptions = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * A pyspark-like layout, bin/spark-submit beside jars/, whose spark-submit runs `body` (by default
 * it fails).
 */
function fakeSpark(body = 'exit 3'): string {
  const home = mkdtempSync(join(tmpdir(), 'plexus-fake-spark-'));
  mkdirSync(join(home, 'bin'));
  mkdirSync(join(home, 'jars'));
  const submit = join(home, 'bin', 'spark-submit');
  writeFileSync(submit, `#!/bin/sh\n${body}\n`);
  chmodSync(submit, 0o755);
  return submit;
}

function options(env: Record<string, string>, submit = fakeSpark()): string {
  const { PLEXUS_TEST_SPARK_JAVA_OPTIONS: _set, ...rest } = process.env;
  return execFileSync(script, [submit], {
    encoding: 'utf8',
    env: { ...rest, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const hasJava = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasJava)('spark-test-jvm.sh falls back to the options without an archive', () => {
  it('when the archive cannot be made: a .failed log, no archive', () => {
    const cache = mkdtempSync(join(tmpdir(), 'plexus-cds-cache-'));
    expect(options({ PLEXUS_VENV_CACHE: cache })).toBe(baseOptions);
    expect(readdirSync(cache).some((name) => name.endsWith('.jsa.failed'))).toBe(true);
  });

  it('when the cache folder cannot be written', () => {
    const parent = mkdtempSync(join(tmpdir(), 'plexus-cds-file-'));
    const file = join(parent, 'a-file');
    writeFileSync(file, '');
    expect(options({ PLEXUS_VENV_CACHE: join(file, 'cache') })).toBe(baseOptions);
  });

  it('when flock is missing or fails (not on macOS, for one)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'plexus-no-flock-'));
    symlinkSync('/bin/false', join(bin, 'flock'));
    const cache = mkdtempSync(join(tmpdir(), 'plexus-cds-cache-'));
    const path = `${bin}:${process.env.PATH ?? ''}`;
    expect(options({ PLEXUS_VENV_CACHE: cache, PATH: path })).toBe(baseOptions);
  });
});

/** Exit status and signal of a JVM started with `options` (the tests' Spark JVMs start so). */
function startJava(options: string): { status: number | null; signal: string | null } {
  const { status, signal } = spawnSync(
    'java',
    [...options.split(' '), '-XX:ErrorFile=/dev/null', '-XX:-CreateCoredumpOnCrash', '-version'],
    { stdio: 'ignore' },
  );
  return { status, signal };
}

describe.skipIf(!hasJava)('spark-test-jvm.sh never gives a damaged archive', () => {
  it('a truncated archive (a JVM dies of SIGBUS mapping it) is found and made again', () => {
    const cache = mkdtempSync(join(tmpdir(), 'plexus-cds-cache-'));
    // A stand-in for the warm-up job: one JVM with the script's options, which writes an archive
    // of the classes it loaded (-XX:ArchiveClassesAtExit), as Spark's driver does.
    const submit = fakeSpark('exec java $SPARK_SUBMIT_OPTS -version 2>/dev/null');
    const first = options({ PLEXUS_VENV_CACHE: cache }, submit);
    const archive = /-XX:SharedArchiveFile=(\S+)$/.exec(first)?.[1] ?? '';
    expect(first).toBe(`${baseOptions} -XX:SharedArchiveFile=${archive}`);
    expect(startJava(first)).toEqual({ status: 0, signal: null });
    // Written to a temporary file and renamed: nothing else left in the folder.
    expect(readdirSync(cache).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const size = statSync(archive).size;
    chmodSync(archive, 0o644);
    truncateSync(archive, Math.floor(size / 2));
    // The hazard itself: a JVM started with the truncated archive dies (SIGBUS, then abort).
    expect(startJava(first).status).not.toBe(0);

    const second = options({ PLEXUS_VENV_CACHE: cache }, submit);
    expect(second).toBe(first);
    expect(statSync(archive).size).toBeGreaterThan(size / 2);
    expect(startJava(second)).toEqual({ status: 0, signal: null });
  });

  it('one archive per checkout path; those of paths since deleted go when one is made', () => {
    const cache = mkdtempSync(join(tmpdir(), 'plexus-cds-cache-'));
    const body = 'exec java $SPARK_SUBMIT_OPTS -version 2>/dev/null';
    const archiveOf = (options: string) => /-XX:SharedArchiveFile=(\S+)$/.exec(options)?.[1] ?? '';
    const gone = fakeSpark(body);
    const first = archiveOf(options({ PLEXUS_VENV_CACHE: cache }, gone));
    expect(existsSync(first)).toBe(true);
    // Another checkout (another path): its own archive, as the JVM refuses one made for other jars.
    const kept = fakeSpark(body);
    const second = archiveOf(options({ PLEXUS_VENV_CACHE: cache }, kept));
    expect(second).not.toBe(first);
    expect(existsSync(first)).toBe(true);
    // The first checkout is deleted: the next archive made removes its archive, not the second's.
    rmSync(join(gone, '../..'), { recursive: true });
    const third = archiveOf(options({ PLEXUS_VENV_CACHE: cache }, fakeSpark(body)));
    expect([existsSync(first), existsSync(`${first}.ok`), existsSync(`${first}.bin`)]).toEqual([
      false,
      false,
      false,
    ]);
    expect([existsSync(second), existsSync(third)]).toEqual([true, true]);
  });
});
