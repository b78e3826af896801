import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DatasetError, errorMessage } from '../common/errors.js';
import { CsvParser } from './csv-parser.js';
import { csvRecords } from './csv-records.js';
import { parquetRows } from './parquet-rows.js';
import type { RawRow } from './raw-row.js';
import { assertTextFile } from './text-check.js';
import { LineSplitter } from './text-lines.js';
import { Utf8Check } from './utf8-check.js';

export type { RawRow, RowGroupPlace } from './raw-row.js';

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

/**
 * Bytes read at a time from a text dataset: 128 KiB, about 150 rows of call transcripts. The rows
 * of one read reach the engine in one turn, so they share its micro-batches (a rule score's batch
 * is one guarded call: 64 KB reads made batches of ~80 items and more calls). 1 MiB reads made the
 * fewest calls but kept a thousand items, their outputs and result lines alive across V8's young
 * collections, which copied them each time: 100,000 transcripts through six rules spent 540-860 ms
 * in scavenges at 1 MiB, 224-314 ms at 128 KiB (bench/RESULTS.md, session 10).
 */
const textChunkBytes = 1 << 17;

/**
 * Bytes decoded to one string: 64 KiB. A string of a larger read is a large object in V8
 * (pages of its own, collected with the old generation); 64 KiB strings are young and die young
 * (a row's values are copies: `JSON.parse`, `split` and `slice` of a line do not keep it).
 */
const decodeBytes = 1 << 16;

/**
 * The file as text, one array of strings per read (the pieces of one read's rows reach the engine
 * together), one UTF-8 decoder across reads; each read's bytes to `tap` and `check` first.
 */
async function* openText(path: string, check: Utf8Check, tap?: ByteTap): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(path, { highWaterMark: textChunkBytes })) {
    const bytes = chunk as Buffer;
    tap?.(bytes);
    check.see(bytes);
    const pieces: string[] = [];
    for (let start = 0; start < bytes.length; start += decodeBytes) {
      const text = decoder.write(bytes.subarray(start, start + decodeBytes));
      if (text !== '') pieces.push(text);
    }
    if (pieces.length > 0) yield pieces;
  }
  check.end();
  const rest = decoder.end();
  if (rest !== '') yield [rest];
}

// Rows come in batches (one per chunk read, or per Parquet row group): an async generator costs
// a few promise turns per value, which per row was a large part of reading a dataset.

/** CSV rows keyed by the header's column names. */
export async function* csvRows(path: string, tap?: ByteTap): AsyncGenerator<RawRow[]> {
  await assertTextFile(path);
  const parser = new CsvParser();
  const convert = csvRecords(path);
  const check = new Utf8Check();
  const checked = (rows: RawRow[]) =>
    check.invalidSeen ? rows.map((row) => check.checked(row, path)) : rows;
  for await (const pieces of openText(path, check, tap)) {
    const rows: RawRow[] = [];
    for (const piece of pieces) convert(parser.push(piece), rows);
    if (rows.length > 0) yield checked(rows);
  }
  const rows = convert(parser.end(), []);
  if (rows.length > 0) yield checked(rows);
}

const openBrace = 123; // {
const byteOrderMark = 0xfeff;

/**
 * One JSON Lines line as a row, or why it is not one; undefined for a blank line. Spark's worker
 * (spark-runner) parses the lines Spark reads as text with it, as in-process reading does. A
 * byte-order mark before the first line (Notepad's and PowerShell's "UTF-8 with BOM") is not
 * part of the row, as in a CSV file.
 */
export function jsonlRow(text: string, line: number): RawRow | undefined {
  if (line === 1 && text.charCodeAt(0) === byteOrderMark) return jsonlRow(text.slice(1), line);
  // A line starting with `{` is not blank: no trimmed copy of it is made.
  if (text.charCodeAt(0) !== openBrace && text.trim() === '') return undefined;
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
 * JSON Lines rows; blank lines are ignored. Lines end at \n, \r\n or \r (see `LineSplitter`:
 * linear in a line's size, however many chunks it spans).
 */
export async function* jsonlRows(path: string, tap?: ByteTap): AsyncGenerator<RawRow[]> {
  await assertTextFile(path);
  const lines = new LineSplitter();
  const check = new Utf8Check();
  let rows: RawRow[] = [];
  const take = (text: string, line: number): void => {
    const row = check.checkedLine(text, line) ?? jsonlRow(text, line);
    if (row) rows.push(row);
  };
  for await (const pieces of openText(path, check, tap)) {
    for (const piece of pieces) lines.push(piece, take);
    if (rows.length > 0) {
      yield rows;
      rows = [];
    }
  }
  lines.end(take);
  if (rows.length > 0) yield rows;
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
  throw new DatasetError(`${path}: unknown dataset format; ${formatHint(path)}`);
}

/** What to do with a file of another format: a spreadsheet's own formats get their fix. */
function formatHint(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab'))
    return 'tab-separated files are not read: save it as CSV (comma-separated, UTF-8), or as JSON Lines';
  if (/\.(xlsx|xlsm|xls|ods|numbers)$/.test(lower))
    return 'a spreadsheet workbook is not read: save the sheet as "CSV UTF-8 (Comma delimited)"';
  return 'use a .csv, .jsonl or .parquet file or set data.format';
}
