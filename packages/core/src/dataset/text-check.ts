import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { DatasetError, errorMessage } from '../common/errors.js';

/** Bytes looked at: the first block of the file. */
export const sniffBytes = 1 << 16;
/** Above this share of NUL, control or invalid UTF-8 bytes in the first block, a file is not text. */
export const maxBadShare = 0.1;

/** Known binary formats by their first bytes (`file` and the format specifications). */
const magics: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'a zip archive (or xlsx/docx)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'an ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'a Parquet file (name it .parquet or set data.format)', bytes: [0x50, 0x41, 0x52, 0x31] },
  { name: 'a bzip2 archive', bytes: [0x42, 0x5a, 0x68] },
  { name: 'an xz archive', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'a zstd archive', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'a 7-zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'a SQLite database', bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66] },
  { name: 'an Excel 97-2003 (OLE) file', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
];

/** The format a block starts like, if it is a known binary one. */
export function magicName(block: Uint8Array): string | undefined {
  const found = magics.find(
    ({ name, bytes }) =>
      block.length >= bytes.length &&
      bytes.every((byte, index) => block[index] === byte) &&
      (name !== 'a bzip2 archive' || (block[3]! >= 0x31 && block[3]! <= 0x39)),
  );
  return found?.name;
}

/** Whether a block reads as UTF-16: a UTF-16 BOM, or NUL bytes in most even or most odd places. */
export function looksLikeUtf16(block: Uint8Array): boolean {
  if (
    block.length >= 2 &&
    ((block[0] === 0xff && block[1] === 0xfe) || (block[0] === 0xfe && block[1] === 0xff))
  )
    return true;
  const pairs = Math.floor(Math.min(block.length, 4096) / 2);
  if (pairs < 4) return false;
  let even = 0;
  let odd = 0;
  for (let index = 0; index < pairs * 2; index += 2) {
    if (block[index] === 0) even += 1;
    if (block[index + 1] === 0) odd += 1;
  }
  return Math.max(even, odd) > pairs * 0.6 && Math.min(even, odd) < pairs * 0.1;
}

/** Length of the UTF-8 sequence starting at `index`, or 0 when it is invalid (cut at the end: -1). */
export function utf8Length(block: Uint8Array, index: number): number {
  const lead = block[index]!;
  if (lead < 0x80) return 1;
  const length =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  if (length === 0) return 0;
  for (let offset = 1; offset < length; offset += 1) {
    if (index + offset >= block.length) return -1;
    const next = block[index + offset]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  // Overlong three- and four-byte forms, surrogates and code points above U+10FFFF.
  const second = block[index + 1]!;
  if (lead === 0xe0 && second < 0xa0) return 0;
  if (lead === 0xed && second > 0x9f) return 0;
  if (lead === 0xf0 && second < 0x90) return 0;
  if (lead === 0xf4 && second > 0x8f) return 0;
  return length;
}

/** NUL and control bytes (all below 0x20 but tab, newline, vertical tab, form feed, return, escape). */
function isControl(byte: number): boolean {
  return byte < 0x20 && !(byte >= 0x09 && byte <= 0x0d) && byte !== 0x1b;
}

/** Any NUL or control byte that `isControl` counts, in a block read as Latin-1 (a byte a character). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlByte = /[\x00-\x08\x0e-\x1a\x1c-\x1f]/;

/** Counts of the bytes in a block that text does not have. */
export function badBytes(block: Uint8Array): { control: number; invalid: number } {
  // Most files are valid UTF-8 without control bytes, told by two native scans instead of a
  // loop over 64 KB (a byte below 0x80 in valid UTF-8 is always a character of its own).
  if (
    isUtf8(block) &&
    !controlByte.test(Buffer.from(block.buffer, block.byteOffset, block.length).toString('latin1'))
  )
    return { control: 0, invalid: 0 };
  let control = 0;
  let invalid = 0;
  let index = 0;
  while (index < block.length) {
    const length = utf8Length(block, index);
    if (length === -1) break; // a sequence cut by the end of the block
    if (length === 0) {
      invalid += 1;
      index += 1;
      continue;
    }
    if (length === 1 && isControl(block[index]!)) control += 1;
    index += length;
  }
  return { control, invalid };
}

function percent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}

/** What is wrong with a block as the start of a CSV or JSONL file, or undefined when it is text. */
export function textProblem(block: Uint8Array): string | undefined {
  if (block.length === 0) return undefined;
  const magic = magicName(block);
  if (magic) return `not a text file (it looks like ${magic})`;
  if (looksLikeUtf16(block))
    return 'not UTF-8 (it looks like UTF-16: NUL bytes between letters); save it as UTF-8 (in Excel: CSV UTF-8)';
  const { control, invalid } = badBytes(block);
  if ((control + invalid) / block.length <= maxBadShare) return undefined;
  const parts = [
    control > 0 ? `${percent(control, block.length)} NUL or control bytes` : undefined,
    invalid > 0 ? `${percent(invalid, block.length)} invalid UTF-8 bytes` : undefined,
  ].filter((part) => part !== undefined);
  const legacy =
    control === 0
      ? '; if it is text in another encoding (Latin-1, Windows-1251), save it as UTF-8'
      : '';
  return `not a text file (the first ${block.length.toLocaleString('en-US')} bytes have ${parts.join(' and ')})${legacy}`;
}

/** The first `sniffBytes` of a file; a folder or an unreadable file is a `DatasetError`. */
async function firstBlock(path: string): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = new Uint8Array(sniffBytes);
      const { bytesRead } = await handle.read(buffer, 0, sniffBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${errorMessage(error)})`;
    throw new DatasetError(`${path}: ${reason}`, { cause: error });
  }
}

/**
 * Refuses a CSV or JSONL file whose first block is not text (a known binary format, or more
 * than a tenth of NUL, control or invalid UTF-8 bytes), with a description that prints safely.
 * A few such bytes in a text file are left to the rows that have them.
 */
export async function assertTextFile(path: string): Promise<void> {
  const block = await firstBlock(path);
  const problem = textProblem(block);
  if (problem)
    throw new DatasetError(
      `${path}: ${problem}; a dataset is a UTF-8 .csv or .jsonl file, or a .parquet file`,
    );
}
