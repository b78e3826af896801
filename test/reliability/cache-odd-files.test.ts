import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, runCli, workDir } from './harness.js';

const core = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));
const key = (n: number) => n.toString(16).padStart(64, '0');

/** A results cache holding one real log of 3 entries, a named pipe and a folder named like logs. */
function oddCache(): string {
  const dir = workDir('cache-odd');
  const logDir = join(dir, 'results', 'log');
  mkdirSync(join(logDir, 'folder.jsonl'), { recursive: true });
  writeFileSync(join(logDir, 'a.jsonl'), [1, 2, 3].map((n) => `${key(n)}\t${n}\n`).join(''));
  expect(spawnSync('mkfifo', [join(logDir, 'pipe.jsonl')]).status).toBe(0);
  return dir;
}

/** `node ...args` with a time limit: a read of the named pipe blocked for ever. */
function runFor(args: string[]) {
  return spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20_000 });
}

describe('a cache folder holding what is not a log', () => {
  it('is read past by stats, compact and lookups (a named pipe hung them, a folder failed them)', () => {
    const dir = oddCache();
    const stats = runFor([cli, 'cache', 'stats', '--cache-dir', dir, '--json']);
    expect(stats.signal).toBeNull(); // not killed by the time limit
    expect(stats.status, stats.stderr).toBe(0);
    // By hand: one log of three entries.
    expect(JSON.parse(stats.stdout)[0]).toMatchObject({ logs: 1, lines: 3, entries: 3 });
    const compact = runFor([cli, 'cache', 'compact', '--cache-dir', dir]);
    expect(compact.signal).toBeNull();
    expect(compact.status, compact.stderr).toBe(0);
    const lookup = runFor([
      '--input-type=module',
      '-e',
      `import { DirectoryCache } from ${JSON.stringify(core)};
       const cache = new DirectoryCache(${JSON.stringify(join(dir, 'results'))});
       console.log(JSON.stringify([1, 2, 3, 4].map((n) => cache.getNow(n.toString(16).padStart(64, '0')) ?? null)));`,
    ]);
    expect(lookup.signal).toBeNull();
    expect(lookup.stdout.trim()).toBe('[1,2,3,null]');
    expect(readdirSync(join(dir, 'results', 'log')).sort()).toEqual(
      expect.arrayContaining(['folder.jsonl', 'pipe.jsonl']),
    );
  });

  it('--cache-dir naming a file is bad input naming it (it was ENOTDIR, exit 1)', async () => {
    const dir = workDir('cache-file');
    const file = join(dir, 'cache');
    writeFileSync(file, 'not a folder');
    const run = await runCli(['cache', 'stats', '--cache-dir', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} is a file, not a cache folder`);
  });
});
