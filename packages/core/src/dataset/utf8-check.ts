import { isUtf8 } from 'node:buffer';
import type { RawRow } from './raw-row.js';

/** What a row that held bytes which are not UTF-8 (in a column, when known) is reported with. */
const notUtf8 = (where: string) =>
  `has bytes that are not UTF-8${where} (read as "\uFFFD"); the file is in another encoding here: if it is Latin-1 or Windows-1252, save it as UTF-8 (in Excel: CSV UTF-8)`;

/** Bytes at the end of `bytes` that start a UTF-8 sequence the next read completes (0 to 3). */
function cutSequence(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * Watches a text file's reads for bytes that are not UTF-8. Node's decoder reads them as U+FFFD
 * without a word: a Latin-1 "café" became "caf\uFFFD", and a keyword score judged it wrong. Once
 * a read held such bytes, rows with U+FFFD are reported rather than scored (a file that is UTF-8
 * throughout keeps rows holding a real U+FFFD). A sequence cut by the end of a read is checked
 * with the next read. `isUtf8` is SIMD code: about 5 ms for 80 MB.
 */
export class Utf8Check {
  /** Whether a read so far held bytes that are not UTF-8. */
  invalidSeen = false;
  private carried: Uint8Array = new Uint8Array(0);

  /** Looks at the file's next read. */
  see(bytes: Uint8Array): void {
    if (this.invalidSeen) return;
    const whole = this.carried.length > 0 ? Buffer.concat([this.carried, bytes]) : bytes;
    const cut = cutSequence(whole);
    this.carried = whole.slice(whole.length - cut);
    if (!isUtf8(whole.subarray(0, whole.length - cut))) this.invalidSeen = true;
  }

  /** The file ended: a sequence still cut is not UTF-8. */
  end(): void {
    if (this.carried.length > 0) this.invalidSeen = true;
  }

  /** The row, or a reported row when its values hold U+FFFD after bytes that are not UTF-8. */
  checked(row: RawRow): RawRow {
    if (!this.invalidSeen || row.kind !== 'row') return row;
    for (const key in row.record) {
      const value = row.record[key];
      if ((typeof value === 'string' && value.includes('\uFFFD')) || key.includes('\uFFFD'))
        return { kind: 'error', line: row.line, message: notUtf8(` in column "${key}"`) };
    }
    return row;
  }

  /** The same for a line of text (JSON Lines), before it is parsed. */
  checkedLine(text: string, line: number): RawRow | undefined {
    return this.invalidSeen && text.includes('\uFFFD')
      ? { kind: 'error', line, message: notUtf8('') }
      : undefined;
  }
}
