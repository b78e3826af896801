import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
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

/** A pyspark-like layout whose spark-submit always fails: bin/spark-submit beside jars/. */
function fakeSpark(): string {
  const home = mkdtempSync(join(tmpdir(), 'plexus-fake-spark-'));
  mkdirSync(join(home, 'bin'));
  mkdirSync(join(home, 'jars'));
  const submit = join(home, 'bin', 'spark-submit');
  writeFileSync(submit, '#!/bin/sh\nexit 3\n');
  chmodSync(submit, 0o755);
  return submit;
}

function options(env: Record<string, string>): string {
  const { PLEXUS_TEST_SPARK_JAVA_OPTIONS: _set, ...rest } = process.env;
  return execFileSync(script, [fakeSpark()], {
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
