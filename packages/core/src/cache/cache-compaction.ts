import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { scanLog } from './cache-log.js';

/** One cache folder (`results`, `llm-responses`) as `plexus cache stats` shows it. */
export interface CacheFolderStats {
  folder: string;
  /** Log files (one per process that wrote). */
  logs: number;
  bytes: number;
  /** Lines in the logs, an entry written twice counted twice. */
  lines: number;
  /** Distinct entries (what a lookup can find). */
  entries: number;
}

/** What compacting (and pruning) one cache folder did. */
export interface CompactionResult {
  before: CacheFolderStats;
  after: CacheFolderStats;
  /** Logs merged into one; logs written to in the last `minAgeMs` are left as they are. */
  merged: number;
  /** Entries dropped to fit `maxBytes` (the oldest first). */
  dropped: number;
}

/** The log files of a cache folder, in the order a cache reads them (a later entry wins). */
function logNames(folder: string): string[] {
  try {
    return readdirSync(join(folder, 'log'))
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
  } catch {
    return [];
  }
}

/** The cache folders under a cache directory: those with a `log/` folder. */
export function cacheFolders(cacheDir: string): string[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(cacheDir, entry.name, 'log')))
    .map((entry) => join(cacheDir, entry.name))
    .sort();
}

/** Logs, bytes, lines and distinct entries of one cache folder (reads every log once). */
export function cacheFolderStats(folder: string): CacheFolderStats {
  const keys = new Set<string>();
  let lines = 0;
  let bytes = 0;
  const names = logNames(folder);
  for (const name of names) {
    const path = join(folder, 'log', name);
    bytes += statSync(path).size;
    scanLog(path, 0, (key) => {
      lines += 1;
      keys.add(key);
    });
  }
  return { folder, logs: names.length, bytes, lines, entries: keys.size };
}

interface Place {
  log: number;
  offset: number;
  length: number;
}

/**
 * Merges a cache folder's logs into one (`log/0-compacted-*.jsonl`, read before any newer log),
 * keeping the last entry of each key; with `maxBytes`, the oldest entries are dropped until the
 * folder holds at most that many bytes. Logs modified in the last `minAgeMs` (default a minute:
 * a run may be writing them) are left alone. The new log is written and synced before any old one
 * is removed: a crash leaves the old logs (or both, which read the same).
 */
export function compactCacheFolder(
  folder: string,
  options: { maxBytes?: number; minAgeMs?: number; now?: number } = {},
): CompactionResult {
  const before = cacheFolderStats(folder);
  const now = options.now ?? Date.now();
  const names = logNames(folder);
  const paths = names.map((name) => join(folder, 'log', name));
  const old = paths.filter((path) => now - statSync(path).mtimeMs >= (options.minAgeMs ?? 60_000));
  const recentBytes = paths
    .filter((path) => !old.includes(path))
    .reduce((sum, path) => sum + statSync(path).size, 0);
  const latest = new Map<string, Place>();
  let oldLines = 0;
  old.forEach((path, log) => {
    scanLog(path, 0, (key, offset, length) => {
      oldLines += 1;
      latest.set(key, { log, offset, length });
    });
  });
  // The entries kept, oldest first: each key at its last place.
  const kept = [...latest.values()].sort((a, b) => a.log - b.log || a.offset - b.offset);
  latest.clear();
  let total = kept.reduce((sum, place) => sum + place.length, 0) + recentBytes;
  let dropped = 0;
  while (options.maxBytes !== undefined && total > options.maxBytes && dropped < kept.length) {
    total -= kept[dropped]!.length;
    dropped += 1;
  }
  if (old.length > 1 || dropped > 0 || (old.length === 1 && kept.length < oldLines))
    writeCompacted(folder, old, kept.slice(dropped), now);
  return { before, after: cacheFolderStats(folder), merged: old.length, dropped };
}

function writeCompacted(folder: string, logs: string[], places: Place[], now: number): void {
  const name = `0-compacted-${now.toString(36)}-${process.pid}.jsonl`;
  const temporary = join(folder, 'log', `${name}.tmp`);
  const out = openSync(temporary, 'w');
  const inputs = logs.map((path) => openSync(path, 'r'));
  try {
    let buffer = Buffer.allocUnsafe(1 << 16);
    for (const place of places) {
      if (place.length > buffer.length) buffer = Buffer.allocUnsafe(place.length);
      let read = 0;
      while (read < place.length) {
        const got = readSync(
          inputs[place.log]!,
          buffer,
          read,
          place.length - read,
          place.offset + read,
        );
        if (got === 0) throw new Error(`${logs[place.log]} is shorter than when it was read`);
        read += got;
      }
      let written = 0;
      while (written < place.length)
        written += writeSync(out, buffer, written, place.length - written);
    }
    fsyncSync(out);
  } finally {
    closeSync(out);
    for (const fd of inputs) closeSync(fd);
  }
  // As old as the newest entry it holds: a later compaction or prune takes it in at once.
  const newest = new Date(Math.max(...logs.map((path) => statSync(path).mtimeMs)));
  utimesSync(temporary, newest, newest);
  renameSync(temporary, join(folder, 'log', name));
  for (const path of logs) if (path !== join(folder, 'log', name)) unlinkSync(path);
}

/** Parses a size: `500MB`, `10GB`, `1.5G`, `2048` (bytes); 1 KB = 1,024 bytes. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!match) return undefined;
  const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2]!.toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}
