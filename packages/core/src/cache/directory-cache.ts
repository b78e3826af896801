import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { redact } from '../common/secrets.js';
import { folderId } from './cache-dir.js';
import { CacheIndex } from './cache-index.js';
import { logFileNames, type ReadBlock, readLineAt, scanLines } from './cache-log.js';
import { cacheWriteFailure, recordCacheWriteFailure } from './cache-warnings.js';

/** Offsets fit in 2^33 (8 GiB); a segment is closed at 4 GiB and a new one started. */
const offsetSpan = 2 ** 33;
const segmentLimit = 2 ** 32;
/** A miss looks for entries other processes appended at most this often. */
const refreshMs = 1000;

interface Segment {
  name: string;
  /** `log/<name>`, joined once (a hit reads from it: no path join per lookup). */
  path: string;
  /** Open only for this process's own log (written to). */
  fd: number | undefined;
  /** Bytes indexed so far (up to the last complete line). */
  scanned: number;
}

/**
 * A cache in a folder: append-only logs (`log/*.jsonl`, one line `key<TAB>json` per entry), one
 * per process that writes, indexed in memory (key → where its line starts). A hit costs a map
 * lookup and one read; entries are written in one append per event-loop turn. Processes sharing
 * the folder (Spark tasks, retries, parallel runs) never write to the same file, so nobody reads
 * half an entry (a line cut by a crash is ignored), and each sees the others' entries when it opens
 * the cache and, on a miss, at most a second after they were written. The index keeps 64 bits of
 * each key in typed arrays (see `CacheIndex`; memory per entry in bench/cache-index.mjs);
 * `plexus cache compact|prune` (cache-compaction.ts) merges the logs and bounds the size.
 */
export class DirectoryCache<Value = unknown> {
  private readonly logDir: string;
  private readonly segments: Segment[] = [];
  private readonly index = new CacheIndex();
  private readonly pending = new Map<string, string>();
  private own: { segment: number; size: number } | undefined;
  private flushing: Promise<void> | undefined;
  private loaded = false;
  private refreshedAt = 0;
  private folderId: number | undefined;
  /** The first folder this cache created for its log, removed again if writing fails at once. */
  private createdDir: string | undefined;
  /** The last block read: `length` bytes of `segment` from `start`. */
  private readonly block: ReadBlock = { start: 0, length: 0, data: Buffer.allocUnsafe(64 * 1024) };
  /** Entries of the earlier layout (one file per entry in `outputs/`), read on a miss. */
  private readonly legacy: boolean;

  constructor(readonly dir: string) {
    this.logDir = join(dir, 'log');
    this.legacy = existsSync(join(dir, 'outputs'));
  }

  async get(key: string): Promise<Value | undefined> {
    return this.getNow(key);
  }

  /** `get` without a promise: lookups are synchronous. */
  getNow(key: string): Value | undefined {
    const line = this.pending.get(key) ?? this.read(key);
    if (line === undefined) return this.legacy ? this.readLegacy(key) : undefined;
    try {
      return JSON.parse(line.slice(key.length + 1)) as Value;
    } catch {
      return undefined; // an unreadable entry is a miss
    }
  }

  /** Stores an entry; resolves when it is in the log (appended by the next event-loop turn). */
  set(key: string, value: Value): Promise<void> {
    if (/[\t\n]/.test(key)) throw new Error(`cache keys cannot hold tabs or newlines: ${key}`);
    if (cacheWriteFailure(this.dir)) return Promise.resolve(); // writing is off: warned once
    this.pending.set(key, `${key}\t${redact(JSON.stringify(value))}\n`);
    this.flushing ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        this.flushing = undefined;
        try {
          this.flush();
          resolve();
        } catch (error) {
          reject(error);
        }
      }),
    );
    return this.flushing;
  }

  /** Writes pending entries now (also done when the process exits). */
  flush(): void {
    if (this.pending.size === 0) return;
    // Entries that cannot be written (a read-only or full disk) are dropped, not kept in memory:
    // a cache that cannot store is only slower. It then stops writing and warns once.
    const lines = [...this.pending];
    this.pending.clear();
    if (cacheWriteFailure(this.dir)) return; // writing is off for this process
    this.load();
    let own: { segment: number; size: number };
    try {
      own = this.ownSegment();
    } catch (error) {
      this.stopWriting(error, this.logDir);
      return;
    }
    const buffer = Buffer.from(lines.map(([, line]) => line).join(''));
    const segment = this.segments[own.segment] as Segment;
    let written = 0;
    try {
      while (written < buffer.length) written += writeSync(segment.fd as number, buffer, written);
    } catch (error) {
      this.stopWriting(error, segment.path);
      return;
    }
    for (const [key, line] of lines) {
      this.index.set(key, own.segment * offsetSpan + own.size);
      own.size += Buffer.byteLength(line);
    }
    (this.segments[own.segment] as Segment).scanned = own.size;
  }

  /**
   * Whether this process's log was removed while it held it open (`plexus cache compact` merges
   * logs untouched for a minute: a run waiting on a batch API appended to the removed file, and
   * those entries were lost). Its entries so far are in the merged log; new ones go to a new log.
   */
  private ownRemoved(own: { segment: number }): boolean {
    const fd = (this.segments[own.segment] as Segment).fd;
    try {
      return fd !== undefined && fstatSync(fd).nlink === 0;
    } catch {
      return false;
    }
  }

  /** Closes the files this cache holds open (after a flush). */
  close(): void {
    this.flush();
    for (const segment of this.segments) {
      if (segment.fd !== undefined) closeSync(segment.fd);
      segment.fd = undefined;
    }
    this.own = undefined;
  }

  /**
   * A write failed (full disk, read-only, no permission): the cache stops writing for the rest of
   * the process, cuts its log back to its last whole entry, removes a log or folder it left
   * empty, and warns once (see `cache-warnings.ts`). Reads go on.
   */
  private stopWriting(error: unknown, path: string): void {
    const own = this.own;
    const segment = own && (this.segments[own.segment] as Segment);
    this.own = undefined;
    if (own && segment?.fd !== undefined) {
      try {
        ftruncateSync(segment.fd, own.size);
        closeSync(segment.fd);
        if (own.size === 0) unlinkSync(segment.path);
      } catch {
        // best effort: a reader ignores a cut last line
      }
      segment.fd = undefined;
    }
    for (let folder = this.logDir; this.createdDir; folder = dirname(folder)) {
      try {
        rmdirSync(folder); // only when empty
      } catch {
        break;
      }
      if (folder === this.createdDir) break;
    }
    recordCacheWriteFailure(this.dir, path, error);
  }

  private ownSegment(): { segment: number; size: number } {
    if (this.own && this.own.size < segmentLimit && !this.ownRemoved(this.own)) return this.own;
    this.createdDir = mkdirSync(this.logDir, { recursive: true }) ?? this.createdDir;
    const name = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.jsonl`;
    const path = join(this.logDir, name);
    const fd = openSync(path, 'a+');
    this.segments.push({ name, path, fd, scanned: 0 });
    this.own = { segment: this.segments.length - 1, size: 0 };
    this.folderId ??= folderId(this.logDir);
    if (exitFlush.size === 0) process.once('exit', flushAll);
    exitFlush.add(this);
    return this.own;
  }

  private read(key: string): string | undefined {
    this.load();
    let place = this.index.get(key);
    if (place === undefined && Date.now() - this.refreshedAt > refreshMs) {
      this.refresh();
      place = this.index.get(key);
    }
    if (place === undefined) return undefined;
    const segment = this.segments[Math.floor(place / offsetSpan)] as Segment;
    const line = this.lineAt(segment, place % offsetSpan);
    // The whole key, then its tab (no `${key}\t` string built per hit).
    return line !== undefined && line.charCodeAt(key.length) === 9 && line.startsWith(key)
      ? line
      : undefined;
  }

  /** The line at `offset` of a segment (see `readLineAt`). */
  private lineAt(segment: Segment, offset: number): string | undefined {
    return readLineAt(this.block, segment, segment.path, segment.fd, offset);
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.folderId = folderId(this.logDir);
    this.refresh();
  }

  /** True when the folder was deleted or replaced since this cache indexed it. */
  stale(): boolean {
    return this.loaded && folderId(this.logDir) !== this.folderId;
  }

  /** Indexes segments and lines appended since the last look. */
  private refresh(): void {
    this.refreshedAt = Date.now();
    let names: string[];
    try {
      names = logFileNames(this.logDir);
    } catch {
      return; // no log yet
    }
    const known = new Set(this.segments.map((segment) => segment.name));
    for (const name of names)
      if (!known.has(name))
        this.segments.push({ name, path: join(this.logDir, name), fd: undefined, scanned: 0 });
    this.segments.forEach((segment, number) => {
      if (number !== this.own?.segment) this.scan(segment, number);
    });
  }

  private scan(segment: Segment, number: number): void {
    try {
      segment.scanned = scanLines(
        segment.path,
        segment.scanned,
        (buffer, start, tab, _newline, offset) =>
          this.index.setFromBytes(buffer, start, tab, number * offsetSpan + offset),
        segment.fd,
      );
    } catch {
      // an unreadable segment is a set of misses
    }
  }

  private readLegacy(key: string): Value | undefined {
    try {
      const file = join(this.dir, 'outputs', key.slice(0, 2), `${key}.json`);
      return JSON.parse(readFileSync(file, 'utf8')) as Value;
    } catch {
      return undefined;
    }
  }
}

const exitFlush = new Set<DirectoryCache>();

function flushAll(): void {
  for (const cache of exitFlush) {
    try {
      cache.flush();
    } catch {
      // exiting: nothing left to report to
    }
  }
}
