/** Characters per chunk: entries are joined into chunks of about this size and searched whole. */
const chunkChars = 4 * 1024 * 1024;
/** Between entries: a search never matches across two of them. */
const separator = '\u0000';
/** A character past U+00FF: V8 then stores the string with two bytes a character. */
const wideCharacter = /[\u0100-\u{10ffff}]/u;

/**
 * Entries joined by NUL: as a one-byte string when every character fits (its `indexOf` is the
 * fastest, about 1 µs a call), else as UTF-8 bytes (a two-byte string is searched ~15x slower; a
 * buffer's `indexOf` is as fast whatever the characters, about 3 µs a call).
 */
type Chunk = {
  /** Number of the chunk's first entry. */
  first: number;
  /** Where each entry starts, in characters of `text` or bytes of `bytes`. */
  starts: Int32Array;
} & ({ text: string; bytes?: undefined } | { text?: undefined; bytes: Buffer });

/**
 * Lowercased texts, one per entry, kept as a few large chunks: a search is one `indexOf` pass per
 * chunk instead of one call per entry, with no per-entry string overhead. Entries are appended (a
 * live run) and found by number.
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
    const text = this.pending.join(separator);
    const wide = wideCharacter.test(text);
    const starts = new Int32Array(this.pending.length);
    let position = 0;
    for (const [index, entry] of this.pending.entries()) {
      starts[index] = position;
      position += (wide ? Buffer.byteLength(entry) : entry.length) + 1;
    }
    const first = this.pendingFirst;
    this.chunks.push(wide ? { bytes: Buffer.from(text), first, starts } : { text, first, starts });
    this.pendingFirst = this.count;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Marks (sets to 1) the entries whose text contains `needle` (lowercased by the caller). */
  search(needle: string, marks: Uint8Array, entryOf?: (entry: number) => number): void {
    this.seal();
    const wanted = needle.replaceAll(separator, ' ');
    if (wanted === '') return;
    const wantedBytes = Buffer.from(wanted);
    for (const chunk of this.chunks) {
      const find =
        chunk.text !== undefined
          ? (from: number) => chunk.text.indexOf(wanted, from)
          : (from: number) => chunk.bytes.indexOf(wantedBytes, from);
      const end = chunk.text !== undefined ? chunk.text.length : chunk.bytes.length;
      let position = find(0);
      while (position !== -1) {
        const index = lastAtOrBefore(chunk.starts, position);
        const entry = chunk.first + index;
        marks[entryOf ? entryOf(entry) : entry] = 1;
        position = find(index + 1 < chunk.starts.length ? chunk.starts[index + 1]! : end);
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
