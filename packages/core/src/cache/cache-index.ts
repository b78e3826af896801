import { indexKey } from './cache-log.js';

/** Slots at first; the table doubles when three quarters are used. */
const initialSlots = 1024;

/**
 * A cache's index: key → place of its line. A SHA-256 hex key (64 characters, what Plexus's
 * caches use) is kept as its last 64 bits, two numbers in a typed-array hash table: no string
 * and no object per entry, so indexing a log is mostly reading it (and the heap holds about 30
 * bytes per entry, not a string and a map entry). Any other key goes to a `Map` as `indexKey`
 * says. A read checks the whole key on the line, so two keys sharing the 64 bits (odds about
 * n^2 / 2^65) make one of them a miss, never a wrong answer.
 */
export class CacheIndex {
  /** Two 32-bit halves of each slot's key (high, low). */
  private keys = new Uint32Array(initialSlots * 2);
  /** Each slot's place + 1 (0: an empty slot). */
  private places = new Float64Array(initialSlots);
  private used = 0;
  private readonly others = new Map<string, number>();

  get size(): number {
    return this.used + this.others.size;
  }

  get(key: string): number | undefined {
    if (key.length === 64) {
      const high = hexOfString(key, 48);
      const low = hexOfString(key, 56);
      if (high >= 0 && low >= 0) return this.getHex(high, low);
    }
    return this.others.get(indexKey(key));
  }

  set(key: string, place: number): void {
    if (key.length === 64) {
      const high = hexOfString(key, 48);
      const low = hexOfString(key, 56);
      if (high >= 0 && low >= 0) {
        this.setHex(high, low, place);
        return;
      }
    }
    // Copied: a slice of a longer key would keep it alive.
    const kept = indexKey(key);
    this.others.set(kept === key ? key : Buffer.from(kept, 'latin1').toString('latin1'), place);
  }

  /**
   * Indexes a log line from its bytes: `key` is `buffer[start, tab)`. A hex key is read without
   * making a string of it.
   */
  setFromBytes(buffer: Buffer, start: number, tab: number, place: number): void {
    if (tab - start === 64) {
      const high = hexOfBytes(buffer, tab - 16);
      const low = hexOfBytes(buffer, tab - 8);
      if (high >= 0 && low >= 0) {
        this.setHex(high, low, place);
        return;
      }
    }
    this.others.set(buffer.toString('latin1', tab - start === 64 ? tab - 16 : start, tab), place);
  }

  private getHex(high: number, low: number): number | undefined {
    const mask = this.places.length - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const stored = this.places[slot] as number;
      if (stored === 0) return undefined;
      if (this.keys[slot * 2] === high && this.keys[slot * 2 + 1] === low) return stored - 1;
    }
  }

  private setHex(high: number, low: number, place: number): void {
    if ((this.used + 1) * 4 > this.places.length * 3) this.grow();
    const mask = this.places.length - 1;
    let slot = low & mask;
    for (; this.places[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.keys[slot * 2] === high && this.keys[slot * 2 + 1] === low) break; // a newer line
    }
    if (this.places[slot] === 0) this.used += 1;
    this.keys[slot * 2] = high;
    this.keys[slot * 2 + 1] = low;
    this.places[slot] = place + 1;
  }

  private grow(): void {
    const keys = this.keys;
    const places = this.places;
    this.keys = new Uint32Array(keys.length * 2);
    this.places = new Float64Array(places.length * 2);
    this.used = 0;
    for (let slot = 0; slot < places.length; slot += 1) {
      const stored = places[slot] as number;
      if (stored !== 0)
        this.setHex(keys[slot * 2] as number, keys[slot * 2 + 1] as number, stored - 1);
    }
  }
}

/** The value of a lowercase hex digit's character code (as `sha256` writes them), or -1. */
function digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  return code >= 97 && code <= 102 ? code - 87 : -1;
}

/** Eight hex digits of `key` from `from` as a 32-bit number, or -1. */
function hexOfString(key: string, from: number): number {
  let value = 0;
  for (let index = from; index < from + 8; index += 1) {
    const next = digit(key.charCodeAt(index));
    if (next < 0) return -1;
    value = value * 16 + next;
  }
  return value;
}

/** Eight hex digits of `buffer` from `from` as a 32-bit number, or -1. */
function hexOfBytes(buffer: Buffer, from: number): number {
  let value = 0;
  for (let index = from; index < from + 8; index += 1) {
    const next = digit(buffer[index] as number);
    if (next < 0) return -1;
    value = value * 16 + next;
  }
  return value;
}
