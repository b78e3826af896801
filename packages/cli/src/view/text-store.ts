import { AppendFile } from './append-file.js';

/**
 * A text as searches compare it: Unicode NFC (a `café` written with a combining accent is found by
 * a `café` typed with one character, and the other way round), lowercased.
 */
export function searchForm(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** Characters per chunk: entries are joined into chunks of about this size and searched whole. */
const chunkChars = 4 * 1024 * 1024;
/** Between entries: a search never matches across two of them. */
const separator = '\u0000';

interface Chunk {
  /** Where the chunk's bytes (UTF-8, entries joined by NUL) are in the store's file, and how many. */
  position: number;
  bytes: number;
  /** Number of the chunk's first entry. */
  first: number;
  /** Where each entry starts in the chunk's bytes. */
  starts: Int32Array;
}

let scratchBuffer = Buffer.alloc(0);

/**
 * One buffer of at least `bytes` for every store's writing and reading of chunks (a new one for
 * each, megabytes, left the heap fragmented); a store uses it only while it writes or searches.
 */
function scratch(bytes: number): Buffer {
  if (scratchBuffer.length < bytes)
    scratchBuffer = Buffer.allocUnsafe(Math.max(bytes, 2 * scratchBuffer.length));
  return scratchBuffer;
}

/**
 * Lowercased texts, one per entry, kept in a file (not in memory: a million items' texts took
 * gigabytes) as chunks of about 4 MiB of UTF-8: a search reads each chunk and makes one `indexOf`
 * pass over it (a UTF-8 needle matches where the text matches). Memory per entry: 4 bytes (where
 * it starts). Entries are appended (a live run) and found by number.
 */
export class TextStore {
  private readonly chunks: Chunk[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private pendingFirst = 0;
  private readonly file = new AppendFile();
  count = 0;

  /** Appends an entry; returns its number. */
  add(text: string): number {
    this.pending.push(searchForm(text).replaceAll(separator, ' '));
    this.pendingChars += text.length + 1;
    this.count += 1;
    if (this.pendingChars >= chunkChars) this.seal();
    return this.count - 1;
  }

  /** Writes the pending entries to the file as a chunk. */
  private seal(): void {
    if (this.pending.length === 0) return;
    const joined = this.pending.join(separator);
    const buffer = scratch(3 * joined.length);
    const bytes = buffer.subarray(0, buffer.write(joined, 0, 'utf8'));
    const starts = new Int32Array(this.pending.length);
    // Entries hold no NUL (replaced above): each NUL ends one.
    let position = 0;
    for (let index = 0; index < starts.length; index += 1) {
      starts[index] = position;
      position = bytes.indexOf(0, position) + 1;
    }
    const at = this.file.append(bytes);
    this.chunks.push({ position: at, bytes: bytes.length, first: this.pendingFirst, starts });
    this.pendingFirst = this.count;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Marks (sets to 1) the entries whose text contains `needle` (in `searchForm`, by the caller). */
  search(needle: string, marks: Uint8Array, entryOf?: (entry: number) => number): void {
    this.seal();
    const wanted = Buffer.from(needle.replaceAll(separator, ' '), 'utf8');
    if (wanted.length === 0 || this.chunks.length === 0) return;
    const buffer = scratch(
      this.chunks.reduce((largest, chunk) => Math.max(largest, chunk.bytes), 0),
    );
    for (const chunk of this.chunks) {
      const { first, starts } = chunk;
      const text = this.file.read(chunk.position, chunk.bytes, buffer);
      let position = text.indexOf(wanted);
      while (position !== -1) {
        const index = lastAtOrBefore(starts, position);
        const entry = first + index;
        marks[entryOf ? entryOf(entry) : entry] = 1;
        position = text.indexOf(
          wanted,
          index + 1 < starts.length ? starts[index + 1]! : text.length,
        );
      }
    }
  }
}

/** The index of the last start at or before `position` (binary search). */
function lastAtOrBefore(starts: Int32Array, position: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}
