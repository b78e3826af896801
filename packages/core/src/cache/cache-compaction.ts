import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { logFileNames, scanLog } from './cache-log.js';
import { takeCompactionLock } from './compaction-lock.js';

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
  /** Why the folder was left as it was: its logs went while this compaction read them. */
  left?: string;
}

/** A log went while a compaction read it: another compaction (or prune) merged it meanwhile. */
class LogGone extends Error {}

/** A temporary file of a compaction not written to for this long was left by a killed one. */
const deadTemporaryMs = 10 * 60_000;

/** `statSync`, or undefined for a file that is gone (another compaction removed it). */
function statOrGone(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Removes the temporary files of compactions killed long ago (they were never cleaned up). */
function removeDeadTemporaries(folder: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(join(folder, 'log'));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.jsonl.tmp')) continue;
    const path = join(folder, 'log', name);
    const stats = statOrGone(path);
    if (stats && now - stats.mtimeMs > deadTemporaryMs) rmSync(path, { force: true });
  }
}

/** The log files of a cache folder, in the order a cache reads them (a later entry wins). */
function logNames(folder: string): string[] {
  try {
    return logFileNames(join(folder, 'log'));
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
  let logs = 0;
  for (const name of names) {
    const path = join(folder, 'log', name);
    const stats = statOrGone(path);
    if (!stats) continue; // merged by a compaction since the folder was listed
    try {
      scanLog(path, 0, (key) => {
        lines += 1;
        keys.add(key);
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    bytes += stats.size;
    logs += 1;
  }
  return { folder, logs, bytes, lines, entries: keys.size };
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
  const release = takeCompactionLock(folder);
  if (typeof release === 'string')
    return { before, after: before, merged: 0, dropped: 0, left: release };
  try {
    removeDeadTemporaries(folder, now);
    const { merged, dropped } = mergeLogs(folder, options, now);
    return { before, after: cacheFolderStats(folder), merged, dropped };
  } catch (error) {
    // Two compactions at once (one on another host, or past the lock): the later one failed with
    // a bare ENOENT and left its temporary file.
    if (!(error instanceof LogGone)) throw error;
    return { before, after: cacheFolderStats(folder), merged: 0, dropped: 0, left: error.message };
  } finally {
    release();
  }
}

function logGone(path: string): LogGone {
  return new LogGone(
    `${basename(path)} went while it was read: another plexus cache compact or prune merged the logs meanwhile; the folder is left to it`,
  );
}

/** `scanLog` of an old log; its going away is a `LogGone`. */
function scanOld(path: string, onEntry: (key: string, offset: number, length: number) => void) {
  try {
    scanLog(path, 0, onEntry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw logGone(path);
    throw error;
  }
}

function mergeLogs(
  folder: string,
  options: { maxBytes?: number; minAgeMs?: number },
  now: number,
): { merged: number; dropped: number } {
  const logs = logNames(folder).flatMap((name) => {
    const path = join(folder, 'log', name);
    const stats = statOrGone(path);
    return stats ? [{ path, stats, old: now - stats.mtimeMs >= (options.minAgeMs ?? 60_000) }] : [];
  });
  const old = logs.filter((log) => log.old).map((log) => log.path);
  const recentBytes = logs.filter((log) => !log.old).reduce((sum, log) => sum + log.stats.size, 0);
  const latest = new Map<string, Place>();
  let oldLines = 0;
  old.forEach((path, log) => {
    scanOld(path, (key, offset, length) => {
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
  return { merged: old.length, dropped };
}

/** Opens the old logs for reading; one gone is a `LogGone` (the ones opened are closed). */
function openLogs(logs: readonly string[]): number[] {
  const inputs: number[] = [];
  try {
    for (const path of logs) {
      try {
        inputs.push(openSync(path, 'r'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw logGone(path);
        throw error;
      }
    }
    return inputs;
  } catch (error) {
    for (const fd of inputs) closeSync(fd);
    throw error;
  }
}

function writeCompacted(folder: string, logs: string[], places: Place[], now: number): void {
  const name = `0-compacted-${now.toString(36)}-${process.pid}.jsonl`;
  const temporary = join(folder, 'log', `${name}.tmp`);
  const inputs = openLogs(logs);
  // As old as the newest entry it holds: a later compaction or prune takes it in at once.
  const newest = new Date(Math.max(...inputs.map((fd) => fstatSync(fd).mtimeMs)));
  let out: number | undefined;
  try {
    out = openSync(temporary, 'w');
    copyPlaces(inputs, logs, places, out);
    fsyncSync(out);
    closeSync(out);
    out = undefined;
    utimesSync(temporary, newest, newest);
    renameSync(temporary, join(folder, 'log', name));
  } catch (error) {
    if (out !== undefined) closeSync(out);
    rmSync(temporary, { force: true }); // a failed compaction leaves no file behind
    throw error;
  } finally {
    for (const fd of inputs) closeSync(fd);
  }
  // Another compaction at the same time may have removed some already.
  for (const path of logs) if (path !== join(folder, 'log', name)) rmSync(path, { force: true });
}

/** Copies each place's line from its log to `out`, in order. */
function copyPlaces(inputs: number[], logs: string[], places: Place[], out: number): void {
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
}

/** Parses a size: `500MB`, `10GB`, `1.5G`, `2048` (bytes); 1 KB = 1,024 bytes. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!match) return undefined;
  const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2]!.toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}
