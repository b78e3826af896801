import { createReadStream } from 'node:fs';
import { type DatasetFormat, formatOf } from './row-sources.js';

const newline = 0x0a;
const quote = 0x22;
const carriageReturn = 0x0d;

/** Data rows of a dataset, counted without parsing them (for a progress bar's total). */
export interface RowCount {
  rows: number;
  /**
   * False when the count may be off: a CSV whose quotes do not pair up (a malformed row) may hold
   * more or fewer rows than counted.
   */
  exact: boolean;
}

/** Counts the lines that hold something; in CSV, only newlines outside quoted fields end a row. */
class LineCounter {
  lines = 0;
  private inQuotes = false;
  private lineHasContent = false;

  constructor(private readonly csv: boolean) {}

  push(chunk: Buffer): void {
    // Without quotes in the chunk (the common case) newlines are found by indexOf, not byte by byte.
    if (!this.inQuotes && (!this.csv || chunk.indexOf(quote) === -1)) {
      this.countNewlines(chunk);
      return;
    }
    for (const byte of chunk) {
      if (byte === quote) this.inQuotes = !this.inQuotes;
      if (byte === newline && !this.inQuotes) this.endLine();
      else if (byte !== carriageReturn) this.lineHasContent = true;
    }
  }

  private countNewlines(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(newline, start);
      const stop = end === -1 ? chunk.length : end;
      if (stop > start && !(stop === start + 1 && chunk[start] === carriageReturn))
        this.lineHasContent = true;
      if (end === -1) return;
      this.endLine();
      start = end + 1;
    }
  }

  private endLine(): void {
    if (this.lineHasContent) this.lines += 1;
    this.lineHasContent = false;
  }

  finish(): RowCount {
    this.endLine();
    return { rows: this.csv ? Math.max(0, this.lines - 1) : this.lines, exact: !this.inQuotes };
  }
}

async function parquetRowCount(path: string): Promise<RowCount> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
  return { rows: Number(metadata.num_rows), exact: true };
}

/**
 * The data rows of a CSV (without its header), JSONL (non-empty lines) or Parquet file (from its
 * metadata); undefined when the file cannot be read or its format is unknown. Rows include those a
 * run will skip as malformed.
 */
export async function countRows(
  path: string,
  format?: DatasetFormat,
): Promise<RowCount | undefined> {
  const kind = format ?? formatOf(path);
  try {
    if (kind === 'parquet') return await parquetRowCount(path);
    if (kind !== 'csv' && kind !== 'jsonl') return undefined;
    const counter = new LineCounter(kind === 'csv');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
      counter.push(chunk as Buffer);
    return counter.finish();
  } catch {
    return undefined;
  }
}
