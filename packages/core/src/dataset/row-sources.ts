import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DatasetError, errorMessage } from '../common/errors.js';
import { setName } from '../text/name-records.js';
import { CsvParser } from './csv-parser.js';
import { assertTextFile } from './text-check.js';

/** A raw row with the line (or row number) it came from, or a row that could not be read. */
export type RawRow =
  | { kind: 'row'; line: number; record: Record<string, unknown> }
  | { kind: 'error'; line: number; message: string; place?: RowGroupPlace };

/** A Parquet row group that could not be decoded: file, group (1-based), first and last row. */
export interface RowGroupPlace {
  file: string;
  row_group: number;
  row_range: [number, number];
}

export type DatasetFormat = 'csv' | 'jsonl' | 'parquet';

/** Guesses the format from the file name. */
export function formatOf(path: string): DatasetFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

/** Receives a text dataset's bytes as they are read: a run hashes its dataset while reading it. */
export type ByteTap = (bytes: Buffer) => void;

function openText(path: string, tap?: ByteTap): AsyncIterable<unknown> {
  if (!tap) return createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  return tappedText(path, tap);
}

/** The file as text, as `openText` reads it (one UTF-8 decoder across chunks), bytes to `tap`. */
async function* tappedText(path: string, tap: ByteTap): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    tap(chunk as Buffer);
    const text = decoder.write(chunk as Buffer);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

// Rows come in batches (one per chunk read, or per Parquet row group): an async generator costs
// a few promise turns per value, which per row was a large part of reading a dataset.

/** CSV rows keyed by the header's column names. */
export async function* csvRows(path: string, tap?: ByteTap): AsyncGenerator<RawRow[]> {
  await assertTextFile(path);
  const parser = new CsvParser();
  let header: string[] | undefined;
  const convert = (events: ReturnType<CsvParser['push']>): RawRow[] => {
    const rows: RawRow[] = [];
    for (const event of events) {
      if (event.kind === 'error') {
        rows.push(event);
      } else if (!header) {
        header = event.fields.map((field) => field.trim());
      } else if (event.fields.length !== header.length) {
        rows.push({
          kind: 'error',
          line: event.line,
          message: `has ${event.fields.length} fields, the header has ${header.length}; quote fields that contain commas`,
        });
      } else {
        const record: Record<string, unknown> = {};
        for (let index = 0; index < header.length; index += 1)
          setName(record, header[index]!, event.fields[index]);
        rows.push({ kind: 'row', line: event.line, record });
      }
    }
    return rows;
  };
  for await (const chunk of openText(path, tap)) {
    const rows = convert(parser.push(chunk as string));
    if (rows.length > 0) yield rows;
  }
  const rows = convert(parser.end());
  if (rows.length > 0) yield rows;
}

/**
 * One JSON Lines line as a row, or why it is not one; undefined for a blank line. Spark's worker
 * (spark-runner) parses the lines Spark reads as text with it, as in-process reading does.
 */
export function jsonlRow(text: string, line: number): RawRow | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'error', line, message: `is not valid JSON (${errorMessage(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'error', line, message: 'is not a JSON object' };
  }
  return { kind: 'row', line, record: value as Record<string, unknown> };
}

/**
 * JSON Lines rows; blank lines are ignored. Lines end at \n, \r\n or \r. Only each new chunk is
 * searched for a line end (the pieces of a long line are joined once): linear in the line's size.
 */
export async function* jsonlRows(path: string, tap?: ByteTap): AsyncGenerator<RawRow[]> {
  await assertTextFile(path);
  let pieces: string[] = [];
  let line = 0;
  const take = (lines: string[]): RawRow[] => {
    const rows: RawRow[] = [];
    for (const text of lines) {
      line += 1;
      const row = jsonlRow(text, line);
      if (row) rows.push(row);
    }
    return rows;
  };
  for await (const chunk of openText(path, tap)) {
    const text = chunk as string;
    // Complete lines only; a \r at the very end may be the first half of a \r\n.
    const search = text.charCodeAt(text.length - 1) === 13 ? text.length - 2 : text.length - 1;
    const end =
      search < 0 ? -1 : Math.max(text.lastIndexOf('\n', search), text.lastIndexOf('\r', search));
    if (end < 0) {
      pieces.push(text);
      continue;
    }
    const cut = text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    pieces.push(text.slice(0, cut));
    let complete = pieces.join('');
    // A \r\n split between two chunks: the \r ended the pieces, this \n starts the chunk.
    if (end === 0 && complete.endsWith('\r')) complete = complete.slice(0, -1);
    pieces = [text.slice(end + 1)];
    const rows = take(complete.split(/\r\n|\n|\r/));
    if (rows.length > 0) yield rows;
  }
  const rest = pieces.join('');
  if (rest !== '') {
    const rows = take(rest.split(/\r\n|\n|\r/));
    if (rows.length > 0) yield rows;
  }
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Rows skipped per batch when a row group cannot be decoded: one problem per row, in slices. */
const skippedBatch = 10_000;

/**
 * Parquet rows, one row group at a time; `line` is the 1-based row number. A row group that
 * cannot be decoded (corrupt pages) is one problem per row, naming the file, group and rows, and
 * the next groups are read.
 */
export async function* parquetRows(path: string): AsyncGenerator<RawRow[]> {
  // Loaded on first use: most runs read CSV or JSONL and should not pay for it at start-up.
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import(
    'hyparquet'
  );
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DatasetError(`${path}: not a readable Parquet file (${errorMessage(error)})`, {
      cause: error,
    });
  }
  let rowStart = 0;
  const groups = metadata.row_groups.length;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[] | undefined;
    let failure: unknown;
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    } catch (error) {
      failure = error;
    }
    if (rows) {
      yield rows.map((row, offset): RawRow => {
        const record: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) setName(record, key, plain(value));
        return { kind: 'row', line: rowStart + offset + 1, record };
      });
    } else {
      const place: RowGroupPlace = {
        file: path,
        row_group: index + 1,
        row_range: [rowStart + 1, rowEnd],
      };
      yield* skippedGroup(
        place,
        `row group ${index + 1} of ${groups} (rows ${rowStart + 1}-${rowEnd}) of ${path} cannot be decoded (${errorMessage(failure)}); its rows were skipped`,
      );
    }
    rowStart = rowEnd;
  }
}

/** The rows of a row group that could not be decoded, each a problem, in slices. */
function* skippedGroup(place: RowGroupPlace, message: string): Generator<RawRow[]> {
  const [firstRow, lastRow] = place.row_range;
  for (let first = firstRow; first <= lastRow; first += skippedBatch)
    yield Array.from(
      { length: Math.min(skippedBatch, lastRow - first + 1) },
      (_, offset): RawRow => ({ kind: 'error', line: first + offset, message, place }),
    );
}

/** Rows of a dataset file in the given or guessed format, in batches; CSV and JSONL bytes to `tap`. */
export function rawRows(
  path: string,
  format: DatasetFormat | undefined,
  tap?: ByteTap,
): AsyncGenerator<RawRow[]> {
  const chosen = format ?? formatOf(path);
  if (chosen === 'csv') return csvRows(path, tap);
  if (chosen === 'jsonl') return jsonlRows(path, tap);
  if (chosen === 'parquet') return parquetRows(path);
  throw new DatasetError(
    `${path}: unknown dataset format; use a .csv, .jsonl or .parquet file or set data.format`,
  );
}
