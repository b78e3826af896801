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
  /** The entries joined by NUL (one flat string: `join` makes it so). */
  text: string;
  /** Number of the chunk's first entry. */
  first: number;
  /** Where each entry starts in `text`. */
  starts: Int32Array;
}

/**
 * Lowercased texts, one per entry, kept as a few large strings: a search is one `indexOf` pass per
 * chunk (about 1 µs a call, a few ms per 10 MB without a match) instead of one call per entry, and
 * no per-entry string overhead. Entries are appended (a live run) and found by number.
 */
export class TextStore {
  private readonly chunks: Chunk[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private pendingFirst = 0;
  count = 0;

  /** Appends an entry; returns its number. */
  add(text: string): number {
    this.pending.push(searchForm(text).replaceAll(separator, ' '));
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
    for (const [index, entry] of this.pending.entries()) {
      starts[index] = position;
      position += entry.length + 1;
    }
    this.chunks.push({ text: this.pending.join(separator), first: this.pendingFirst, starts });
    this.pendingFirst = this.count;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Marks (sets to 1) the entries whose text contains `needle` (in `searchForm`, by the caller). */
  search(needle: string, marks: Uint8Array, entryOf?: (entry: number) => number): void {
    this.seal();
    const wanted = needle.replaceAll(separator, ' ');
    if (wanted === '') return;
    for (const { text, first, starts } of this.chunks) {
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
