import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The log files of a cache's `log/` folder, sorted: regular files named `*.jsonl` (a link to one
 * too). A named pipe so named hung every reader (opening it waits for a writer), a folder so named
 * failed `plexus cache stats` with EISDIR. Throws when the folder cannot be read.
 */
export function logFileNames(logDir: string): string[] {
  return readdirSync(logDir, { withFileTypes: true })
    .filter((entry) => {
      if (!entry.name.endsWith('.jsonl')) return false;
      if (entry.isFile()) return true;
      if (!entry.isSymbolicLink()) return false;
      try {
        return statSync(join(logDir, entry.name)).isFile();
      } catch {
        return false;
      }
    })
    .map((entry) => entry.name)
    .sort();
}

/**
 * The index's key of an entry: a SHA-256 hex key (64 characters, what Plexus's caches use) is
 * indexed by its last 16 (64 bits), a quarter of the memory; other keys whole. A read checks the
 * whole key on the line, so two keys sharing a prefix (odds about n^2 / 2^65: 3 in 100 million at
 * a million entries) make one of them a miss, never a wrong answer.
 */
export function indexKey(key: string): string {
  return key.length === 64 ? key.slice(48) : key;
}

/**
 * Calls `onEntry(indexKey(key), offset, length)` for each whole line (`key<TAB>json\n`) of a log from `from` on;
 * returns the offset after the last whole line (a line cut by a crash is looked at again later).
 * `fd` is read and not closed when given; otherwise the file is opened and closed here.
 */
export function scanLog(
  path: string,
  from: number,
  onEntry: (key: string, offset: number, length: number) => void,
  fd?: number,
): number {
  return scanLines(
    path,
    from,
    (buffer, start, tab, newline, offset) =>
      onEntry(
        buffer.toString('latin1', tab - start === 64 ? tab - 16 : start, tab),
        offset,
        newline + 1 - start,
      ),
    fd,
  );
}

/**
 * `scanLog` by bytes: `onLine(buffer, start, tab, newline, offset)` for each whole line with a key,
 * the key being `buffer[start, tab)` and the line starting at `offset` of the file. The buffer is
 * reused: read it during the call only.
 */
export function scanLines(
  path: string,
  from: number,
  onLine: (buffer: Buffer, start: number, tab: number, newline: number, offset: number) => void,
  fd?: number,
): number {
  const own = fd === undefined;
  const descriptor = fd ?? openSync(path, 'r');
  try {
    const size = fstatSync(descriptor).size;
    if (size <= from) return from;
    // One buffer for the whole scan: a line cut at its end moves to its start and the next read
    // goes after it (no new buffer per read); it doubles only for a line longer than itself.
    let buffer = Buffer.allocUnsafe(Math.min(size - from, 1 << 20));
    let kept = 0; // bytes of a cut line at the buffer's start
    let at = from; // file offset of the buffer's first byte
    while (at + kept < size) {
      if (kept === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, kept);
        buffer = larger;
      }
      const read = readSync(descriptor, buffer, kept, buffer.length - kept, at + kept);
      if (read === 0) break;
      const end = kept + read;
      let start = 0;
      for (let newline = buffer.indexOf(10, start); newline >= 0 && newline < end; ) {
        const tab = buffer.indexOf(9, start);
        if (tab > start && tab < newline) onLine(buffer, start, tab, newline, at + start);
        start = newline + 1;
        newline = buffer.indexOf(10, start);
      }
      buffer.copy(buffer, 0, start, end);
      kept = end - start;
      at += start;
    }
    return at;
  } finally {
    if (own) closeSync(descriptor);
  }
}

/** The last block read: `length` bytes of `source` (a log) from `start`. */
export interface ReadBlock {
  source?: object;
  start: number;
  length: number;
  data: Buffer;
}

/**
 * The line at `offset` of a log, from the block read last when it holds the whole line (entries
 * are read back mostly in the order they were written: one read serves hundreds of hits). `fd`,
 * when given, is the log kept open (this process's own); other logs are opened for each read and
 * closed, as a cache used by many runs has many logs and open files are limited (1,024 by default).
 */
export function readLineAt(
  block: ReadBlock,
  source: object,
  path: string,
  fd: number | undefined,
  offset: number,
): string | undefined {
  if (block.source === source && offset >= block.start) {
    const end = block.data.indexOf(10, offset - block.start);
    if (end >= 0 && end < block.length)
      return block.data.toString('utf8', offset - block.start, end);
  }
  let descriptor: number | undefined;
  try {
    descriptor = fd ?? openSync(path, 'r');
    block.source = undefined; // its bytes are about to change
    let buffer = block.data;
    let length = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, length, buffer.length - length, offset + length);
      length += read;
      const end = buffer.indexOf(10, length - read);
      if (end >= 0 && end < length) {
        if (buffer === block.data) Object.assign(block, { source, start: offset, length });
        return buffer.toString('utf8', 0, end);
      }
      if (read === 0) return undefined;
      if (length === buffer.length)
        buffer = Buffer.concat([buffer.subarray(0, length), Buffer.allocUnsafe(length)]);
    }
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined && descriptor !== fd) closeSync(descriptor);
  }
}
