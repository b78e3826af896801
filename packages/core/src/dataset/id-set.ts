/** Ids kept exactly, in a `Set`, before the set moves to hashes: at most about 3 MB. */
const exactIds = 1 << 16;

/** The most of the table's slots in use before it grows by half: open addressing stays quick. */
const maxLoad = 0.75;

/**
 * A set of item ids that stores a 53-bit hash per id (8 bytes) instead of the strings, so checking
 * a dataset for repeated ids stays small whatever its size: 11-16 bytes per item including the
 * table's free room (12 MB at a million items, where a table of powers of two took 16 MB and 24 MB
 * while it doubled), against about 50 for a `Set<string>`. Two different ids share a hash with
 * probability about n²/2⁵⁴ (1e-4 for a million items), which would report a repeat that is not one.
 * The first 65,536 ids are kept in a `Set` (native hashing: a run of 10,000 items spent more on
 * hashing ids in JavaScript code not yet optimised), then hashed into the table once.
 */
export class IdSet {
  private exact: Set<string> | undefined = new Set();
  private table = new Float64Array(1024);
  private count = 0;

  /** Adds an id; false when it (or, past the first 65,536, an id with the same hash) was there. */
  add(id: string): boolean {
    const exact = this.exact;
    if (exact) {
      if (exact.size < exactIds) {
        const before = exact.size;
        return exact.add(id).size > before;
      }
      if (exact.has(id)) return false;
      this.exact = undefined;
      for (const known of exact) this.addHash(hash53(known));
    }
    return this.addHash(hash53(id));
  }

  get size(): number {
    return this.exact ? this.exact.size : this.count;
  }

  private addHash(value: number): boolean {
    if (this.count + 1 > this.table.length * maxLoad) this.grow();
    const inserted = insert(this.table, value);
    if (inserted) this.count += 1;
    return inserted;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(Math.ceil(old.length * 1.5));
    for (const value of old) if (value !== 0) insert(this.table, value);
  }
}

function insert(table: Float64Array, value: number): boolean {
  const { length } = table;
  // The hash's low 32 bits (`>>> 0`) as a share of 2^32, scaled to the table (any length; exact:
  // the share has 32 significant bits, so the slot is below the length).
  let slot = Math.floor(((value >>> 0) / 4294967296) * length);
  for (;;) {
    const current = table[slot]!;
    if (current === 0) {
      table[slot] = value;
      return true;
    }
    if (current === value) return false;
    slot = slot + 1 === length ? 0 : slot + 1;
  }
}

/** cyrb53: a fast 53-bit string hash; never 0, so 0 marks an empty slot. */
function hash53(text: string): number {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first =
    Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second =
    Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return 4294967296 * (2097151 & second) + (first >>> 0) || 1;
}
