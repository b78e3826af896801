import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { DatasetError } from '../common/errors.js';
import type { RawRow } from './raw-row.js';
import { utf8Length } from './text-check.js';

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

  /**
   * The row, or a reported row when its values hold U+FFFD after bytes that are not UTF-8. A
   * column name holding it is the header's: one error for the file, not one per row.
   */
  checked(row: RawRow, path: string): RawRow {
    if (!this.invalidSeen || row.kind !== 'row') return row;
    for (const key in row.record) {
      if (key.includes('\uFFFD'))
        throw new DatasetError(
          `${path}: its header has bytes that are not UTF-8 (column ${JSON.stringify(key)}): save it as UTF-8 (in Excel: CSV UTF-8)`,
        );
      const value = row.record[key];
      if (typeof value === 'string' && value.includes('\uFFFD'))
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

/** Bytes read at a time by `firstLineNotUtf8`. */
const scanBytes = 1 << 20;

/** How many newline bytes `bytes` holds before `end`. */
function newlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1 && at < end; at = bytes.indexOf(10, at + 1))
    count += 1;
  return count;
}

/** The index of the first byte of `bytes` that does not start a UTF-8 character. */
function firstInvalid(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const length = utf8Length(bytes, index);
    if (length <= 0) return index;
    index += length;
  }
  return bytes.length;
}

/**
 * The line (1-based) of a file's first byte that is not UTF-8, or undefined when it is UTF-8
 * throughout: for readers that cannot report such rows one by one (Spark decodes them as U+FFFD).
 */
export async function firstLineNotUtf8(path: string): Promise<number | undefined> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(scanBytes);
    let carried: Uint8Array = new Uint8Array(0);
    let linesBefore = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, scanBytes, null);
      if (bytesRead === 0) return carried.length > 0 ? linesBefore + 1 : undefined;
      const whole = Buffer.concat([carried, buffer.subarray(0, bytesRead)]);
      const cut = bytesRead < scanBytes ? 0 : cutSequence(whole);
      const checked = whole.subarray(0, whole.length - cut);
      if (!isUtf8(checked)) return linesBefore + newlines(checked, firstInvalid(checked)) + 1;
      linesBefore += newlines(checked, checked.length);
      carried = whole.slice(whole.length - cut);
    }
  } finally {
    await file.close();
  }
}
