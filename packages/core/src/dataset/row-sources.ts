import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DatasetError, errorMessage } from '../errors.js';
import { CsvParser } from './csv-parser.js';

/** A raw row with the line (or row number) it came from, or a row that could not be read. */
export type RawRow =
  | { kind: 'row'; line: number; record: Record<string, unknown> }
  | { kind: 'error'; line: number; message: string };

export type DatasetFormat = 'csv' | 'jsonl' | 'parquet';

/** Guesses the format from the file name. */
export function formatOf(path: string): DatasetFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

function openText(path: string) {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  return stream;
}

/** CSV rows keyed by the header's column names. */
export async function* csvRows(path: string): AsyncGenerator<RawRow> {
  const parser = new CsvParser();
  let header: string[] | undefined;
  const convert = function* (events: ReturnType<CsvParser['push']>): Generator<RawRow> {
    for (const event of events) {
      if (event.kind === 'error') {
        yield event;
      } else if (!header) {
        header = event.fields.map((field) => field.trim());
      } else if (event.fields.length !== header.length) {
        yield {
          kind: 'error',
          line: event.line,
          message: `has ${event.fields.length} fields, the header has ${header.length}; quote fields that contain commas`,
        };
      } else {
        const record: Record<string, unknown> = {};
        for (const [index, name] of header.entries()) record[name] = event.fields[index];
        yield { kind: 'row', line: event.line, record };
      }
    }
  };
  for await (const chunk of openText(path)) yield* convert(parser.push(chunk as string));
  yield* convert(parser.end());
}

/** JSON Lines rows; blank lines are ignored. */
export async function* jsonlRows(path: string): AsyncGenerator<RawRow> {
  const lines = createInterface({ input: openText(path), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { kind: 'error', line, message: `is not valid JSON (${errorMessage(error)})` };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { kind: 'error', line, message: 'is not a JSON object' };
      continue;
    }
    yield { kind: 'row', line, record: value as Record<string, unknown> };
  }
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Parquet rows, one row group at a time; `line` is the 1-based row number. */
export async function* parquetRows(path: string): AsyncGenerator<RawRow> {
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
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    for (const [index, row] of rows.entries()) {
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) record[key] = plain(value);
      yield { kind: 'row', line: rowStart + index + 1, record };
    }
    rowStart = rowEnd;
  }
}

/** Rows of a dataset file in the given or guessed format. */
export function rawRows(path: string, format: DatasetFormat | undefined): AsyncGenerator<RawRow> {
  const chosen = format ?? formatOf(path);
  if (chosen === 'csv') return csvRows(path);
  if (chosen === 'jsonl') return jsonlRows(path);
  if (chosen === 'parquet') return parquetRows(path);
  throw new DatasetError(
    `${path}: unknown dataset format; use a .csv, .jsonl or .parquet file or set data.format`,
  );
}
