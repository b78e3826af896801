import { mkdtempSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolderStats, compactCacheFolder, parseSize } from './cache-compaction.js';
import { indexKey } from './cache-log.js';
import { DirectoryCache } from './directory-cache.js';

const key = (n: number) => n.toString(16).padStart(64, '0');

/** A cache folder written by `writers` processes (one log each), entry n = `value(n)`. */
async function written(
  writers: number[][],
  value = (n: number, writer: number) => `${writer}:${n}`,
) {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-compact-'));
  for (const [writer, keys] of writers.entries()) {
    const cache = new DirectoryCache<string>(folder);
    await Promise.all(keys.map((n) => cache.set(key(n), value(n, writer))));
    cache.close();
    // Logs are ordered by the time their writer opened them (in ms): a later writer must start
    // in a later millisecond for "last entry wins" to be defined across logs.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return folder;
}

describe('cache compaction', () => {
  it('merges the logs into one, the last entry of each key kept', async () => {
    const range = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => from + index);
    // Three writers: 0..99, 50..149 (50 rewritten), 140..159 (10 rewritten again).
    const folder = await written([range(0, 100), range(50, 150), range(140, 160)]);
    const before = cacheFolderStats(folder);
    expect(before).toMatchObject({ logs: 3, lines: 220, entries: 160 });
    const result = compactCacheFolder(folder, { minAgeMs: 0 });
    expect(result).toMatchObject({ merged: 3, dropped: 0 });
    expect(result.after).toMatchObject({ logs: 1, lines: 160, entries: 160 });
    expect(readdirSync(join(folder, 'log'))[0]).toMatch(/^0-compacted-.*\.jsonl$/);
    const reader = new DirectoryCache<string>(folder);
    expect(reader.getNow(key(10))).toBe('0:10');
    expect(reader.getNow(key(60))).toBe('1:60');
    expect(reader.getNow(key(145))).toBe('2:145');
    expect(reader.getNow(key(159))).toBe('2:159');
  });

  it('prunes the oldest entries down to a size', async () => {
    const folder = await written([Array.from({ length: 100 }, (_, n) => n)]);
    // Every line is the same length: the key, a tab, the JSON string and a newline.
    const line = `${key(0)}\t${JSON.stringify('0:00')}\n`.length;
    const result = compactCacheFolder(folder, { minAgeMs: 0, maxBytes: 40 * line });
    expect(result.dropped).toBe(60);
    expect(result.after).toMatchObject({ logs: 1, entries: 40, bytes: 40 * line });
    const reader = new DirectoryCache<string>(folder);
    expect(reader.getNow(key(59))).toBeUndefined();
    expect(reader.getNow(key(60))).toBe('0:60');
    expect(reader.getNow(key(99))).toBe('0:99');
  });

  it('leaves logs written in the last minute alone (a run may be writing them)', async () => {
    const folder = await written([[1, 2], [3]]);
    const result = compactCacheFolder(folder);
    expect(result).toMatchObject({ merged: 0, dropped: 0 });
    expect(result.after.logs).toBe(2);
    const names = readdirSync(join(folder, 'log'));
    const newest = Math.max(...names.map((name) => statSync(join(folder, 'log', name)).mtimeMs));
    expect(compactCacheFolder(folder, { now: newest + 61_000 }).after.logs).toBe(1);
  });

  it('leaves an already compact log as it is when newer logs sit beside it', async () => {
    const folder = await written([[1, 2, 3]]);
    compactCacheFolder(folder, { minAgeMs: 0 });
    const [compacted] = readdirSync(join(folder, 'log'));
    const past = new Date(Date.now() - 120_000);
    utimesSync(join(folder, 'log', compacted!), past, past);
    const before = statSync(join(folder, 'log', compacted!)).mtimeMs;
    const cache = new DirectoryCache<string>(folder);
    await cache.set(key(9), 'new');
    cache.close();
    // The new log is recent (left alone); the compacted one holds no stale line: nothing to do.
    const result = compactCacheFolder(folder);
    expect(result.merged).toBe(1);
    expect(readdirSync(join(folder, 'log'))).toContain(compacted);
    expect(statSync(join(folder, 'log', compacted!)).mtimeMs).toBe(before);
  });

  it('indexes a SHA-256 key by 64 bits, other keys whole', () => {
    expect(indexKey('ab'.repeat(32))).toHaveLength(16);
    expect(indexKey('results:short')).toBe('results:short');
  });

  it('reads sizes with units', () => {
    expect(parseSize('2048')).toBe(2048);
    expect(parseSize('500MB')).toBe(500 * 1024 ** 2);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('10 GiB')).toBe(10 * 1024 ** 3);
    expect(parseSize('ten')).toBeUndefined();
  });
});
