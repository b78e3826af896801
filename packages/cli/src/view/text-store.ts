/** Characters per chunk: entries are joined into buffers of about this size and searched whole. */
const chunkChars = 4 * 1024 * 1024;
/** Between entries: a search never matches across two of them. */
const separator = '\u0000';

interface Chunk {
  /** The entries in UTF-8, separated by NUL. */
  bytes: Buffer;
  /** Number of the chunk's first entry. */
  first: number;
  /** The byte where each entry starts in `bytes`. */
  starts: Int32Array;
}

/**
 * Lowercased texts, one per entry, kept as a few large UTF-8 buffers: a search is one `indexOf`
 * pass per chunk instead of one call per entry, with no per-entry string overhead, and as fast
 * whatever the characters (a JS string holding one character past U+00FF is searched ~15x slower).
 * Entries are appended (a live run) and found by number.
 */
export class TextStore {
  private readonly chunks: Chunk[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private pendingFirst = 0;
  count = 0;

  /** Appends an entry; returns its number. */
  add(text: string): number {
    this.pending.push(text.toLowerCase().replaceAll(separator, ' '));
    this.pendingChars += text.length + 1;
    this.count += 1;
    if (this.pendingChars >= chunkChars) this.seal();
    return this.count - 1;
  }

  /** Joins the pending entries into a chunk. */
  private seal(): void {
    if (this.pending.length === 0) return;
    const starts = new Int32Array(this.pending.length);
    let position = 0;
    for (const [index, text] of this.pending.entries()) {
      starts[index] = position;
      position += Buffer.byteLength(text) + 1;
    }
    const bytes = Buffer.from(this.pending.join(separator));
    this.chunks.push({ bytes, first: this.pendingFirst, starts });
    this.pendingFirst = this.count;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Marks (sets to 1) the entries whose text contains `needle` (lowercased by the caller). */
  search(needle: string, marks: Uint8Array, entryOf?: (entry: number) => number): void {
    this.seal();
    const wanted = Buffer.from(needle.replaceAll(separator, ' '));
    if (wanted.length === 0) return;
    for (const chunk of this.chunks) {
      let position = chunk.bytes.indexOf(wanted);
      while (position !== -1) {
        const index = lastAtOrBefore(chunk.starts, position);
        const entry = chunk.first + index;
        marks[entryOf ? entryOf(entry) : entry] = 1;
        const next =
          index + 1 < chunk.starts.length ? chunk.starts[index + 1]! : chunk.bytes.length;
        position = chunk.bytes.indexOf(wanted, next);
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
