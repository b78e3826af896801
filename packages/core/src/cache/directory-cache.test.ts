import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheWriteFailure, onCacheWarning } from './cache-warnings.js';
import { DirectoryCache } from './directory-cache.js';
import { directoryCache } from './directory-caches.js';

const folder = () => mkdtempSync(join(tmpdir(), 'plexus-cache-'));
const key = (n: number) => n.toString(16).padStart(64, '0');

describe('DirectoryCache', () => {
  it('gives back what was stored, before and after it reaches the log', async () => {
    const cache = new DirectoryCache<{ label: string }>(folder());
    const written = cache.set(key(1), { label: 'ünïcode\ttab\nline' });
    expect(await cache.get(key(1))).toEqual({ label: 'ünïcode\ttab\nline' });
    await written;
    expect(await cache.get(key(1))).toEqual({ label: 'ünïcode\ttab\nline' });
    expect(await cache.get(key(2))).toBeUndefined();
  });

  it('appends one log file per writer and lets a new reader find every entry', async () => {
    const dir = folder();
    const first = new DirectoryCache<number>(dir);
    const second = new DirectoryCache<number>(dir);
    await Promise.all(Array.from({ length: 500 }, (_, n) => first.set(key(n), n)));
    await second.set(key(1000), 1000);
    const big = 'x'.repeat(3 * 1024 * 1024); // longer than one read of the index and of a hit
    await second.set(key(1001), big as unknown as number);
    expect(readdirSync(join(dir, 'log'))).toHaveLength(2);
    const reader = new DirectoryCache<number>(dir);
    for (const n of [0, 250, 499, 1000]) expect(await reader.get(key(n))).toBe(n);
    expect(await reader.get(key(1001))).toBe(big);
  });

  it('sees what another writer appends after it opened, on a miss', async () => {
    const dir = folder();
    const reader = new DirectoryCache<number>(dir);
    expect(await reader.get(key(7))).toBeUndefined();
    await new DirectoryCache<number>(dir).set(key(7), 7);
    expect(await reader.get(key(7))).toBeUndefined(); // looked less than a second ago
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await reader.get(key(7))).toBe(7);
  });

  it('ignores a line cut by a crash and keeps reading that file later', async () => {
    const dir = folder();
    await new DirectoryCache<number>(dir).set(key(1), 1);
    const log = readdirSync(join(dir, 'log'))[0] as string;
    appendFileSync(join(dir, 'log', log), `${key(2)}\t{"cut`);
    const reader = new DirectoryCache<number>(dir);
    expect(await reader.get(key(1))).toBe(1);
    expect(await reader.get(key(2))).toBeUndefined();
    appendFileSync(join(dir, 'log', log), `\n${key(3)}\t3\n`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await reader.get(key(3))).toBe(3);
    expect(await reader.get(key(2))).toBeUndefined();
  });

  it('reads entries of the earlier one-file-per-entry layout', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'outputs', '00'), { recursive: true });
    writeFileSync(join(dir, 'outputs', '00', `${key(5)}.json`), '{"value":"old"}');
    expect(await new DirectoryCache(dir).get(key(5))).toEqual({ value: 'old' });
  });

  it('is shared within a process, and starts over when its folder is deleted', async () => {
    const dir = folder();
    const cache = directoryCache<number>(dir);
    expect(directoryCache<number>(dir)).toBe(cache);
    await cache.set(key(1), 1);
    rmSync(dir, { recursive: true });
    const fresh = directoryCache<number>(dir);
    expect(fresh).not.toBe(cache);
    expect(await fresh.get(key(1))).toBeUndefined();
  });

  it('drops what it cannot write, stops writing for the rest of the process and warns once', async () => {
    const root = folder();
    const warnings: string[] = [];
    const stop = onCacheWarning((message) => warnings.push(message));
    try {
      const dir = join(root, 'results');
      mkdirSync(dir);
      writeFileSync(join(dir, 'log'), 'a file where the log folder should be');
      const cache = new DirectoryCache<number>(dir);
      await cache.set(key(1), 1);
      expect(await cache.get(key(1))).toBeUndefined();
      expect(warnings).toEqual([
        `cannot write to the cache ${join(dir, 'log')}: EEXIST: file already exists, mkdir '${join(dir, 'log')}'; caching is off for the rest of this run (results are not affected)`,
      ]);
      rmSync(join(dir, 'log'));
      await cache.set(key(2), 2); // off: not written, not warned again
      expect(readdirSync(dir)).toEqual([]);
      expect(cacheWriteFailure(dir)).toBe(warnings[0]);
      // Another cache under the same root that fails too is off without a second warning.
      const other = join(root, 'llm-responses');
      writeFileSync(other, 'a file where the cache folder should be');
      await new DirectoryCache<number>(other).set(key(3), 3);
      expect(warnings).toHaveLength(1);
      expect(cacheWriteFailure(other)).toBe(warnings[0]);
    } finally {
      stop();
    }
  });

  it('keeps no file open but its own, however many logs other runs left', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'log'));
    for (let n = 0; n < 300; n += 1)
      writeFileSync(join(dir, 'log', `run-${n}.jsonl`), `${key(n)}\t${n}\n`);
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const cache = new DirectoryCache<number>(dir);
    for (let n = 0; n < 300; n += 1) expect(await cache.get(key(n))).toBe(n);
    await cache.set(key(999), 999);
    expect(openFiles()).toBe(before + 1); // the log it writes
    rmSync(join(dir, 'log', 'run-7.jsonl'));
    expect(await cache.get(key(7))).toBeUndefined(); // deleted under it: a miss, not an error
  });

  it('refuses keys that would break a line', () => {
    expect(() => new DirectoryCache(folder()).set('a\tb', 1)).toThrow(/tabs or newlines/);
  });
});
