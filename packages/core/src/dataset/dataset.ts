import { access } from 'node:fs/promises';
import { DatasetError } from '../common/errors.js';
import { hasName, nameRecord, nameValue } from '../text/name-records.js';
import { IdSet } from './id-set.js';
import { maxNesting, tooDeepColumn } from './metadata-values.js';
import { type ByteTap, type DatasetFormat, formatOf, type RawRow, rawRows } from './row-sources.js';
import { separatorProblem } from './separator-hint.js';

/** One item read from a dataset. */
export interface DatasetItem {
  id: string;
  text: string;
  metadata: Record<string, unknown>;
  /** Gold labels by score name, where the dataset has them. */
  labels: Record<string, string>;
  /** Line (CSV, JSONL) or row number (Parquet) the item came from. */
  line: number;
}

/** A row that could not become an item; it is skipped, reported and counted. */
export interface DatasetProblem {
  line: number;
  message: string;
  /** Parquet: the file, row group (1-based) and rows (first, last) of a group that could not be decoded. */
  file?: string;
  row_group?: number;
  row_range?: [number, number];
}

export interface DatasetOptions {
  path: string;
  format?: DatasetFormat;
  /** Column with ids; default `id`, else the row number. */
  idColumn?: string;
  /** Column with the text; default `text`. */
  textColumn?: string;
  /** Gold label column per score name (see `goldColumns`). */
  labelColumns?: Readonly<Record<string, string>>;
  /** Called for each row that is skipped. */
  onProblem?: (problem: DatasetProblem) => void;
  /** CSV and JSONL: receives the file's bytes as they are read (see `ByteTap`). */
  onBytes?: ByteTap;
}

/** Where each score's gold label comes from: `label_column`, a column named like the score, or `label`. */
export function goldColumns(
  scores: readonly { name: string; labelColumn?: string | undefined }[],
): Record<string, string[]> {
  const columns = nameRecord<string[]>();
  for (const score of scores) {
    columns[score.name] = score.labelColumn
      ? [score.labelColumn]
      : scores.length === 1
        ? [score.name, 'label']
        : [score.name];
  }
  return columns;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Whether a string is empty or all white space (`trim() === ''`), without a trimmed copy mostly. */
function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  // A visible ASCII character first: not blank (most ids and labels).
  if (first > 32 && first < 127) return false;
  return text.trim() === '';
}

/**
 * An item's gold labels by score name. Like `nameRecord`, nothing is inherited (no `toString`, no
 * `__proto__` setter: every score name is plain data), but it is made by a constructor whose
 * prototype is an empty, frozen object without a prototype: V8 keeps it a small object (an
 * `Object.create(null)` record is a hash table, about 290 bytes even empty, on every item).
 */
const LabelRecord = function LabelRecord() {} as unknown as new () => Record<string, string>;
LabelRecord.prototype = Object.freeze(Object.create(null));

/** The first of `names` that `record` has as its own column, if any. */
function firstColumn(
  record: Readonly<Record<string, unknown>>,
  names: readonly string[],
): string | undefined {
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] as string;
    if (Object.hasOwn(record, name)) return name;
  }
  return undefined;
}

/** Shown gold values are cut to this many characters. */
const shownGold = 40;

/**
 * Why a list or object in a gold column is refused: a gold label is one value, and which of a
 * list's labels is the gold (or whether it is several) cannot be guessed. A JSON list or object
 * (a Parquet list, struct or JSON column) is reported as the row's problem, with the fix.
 */
function unreadableGold(column: string, value: object): string {
  const written = JSON.stringify(value) ?? String(value);
  const shown = written.length > shownGold ? `${written.slice(0, shownGold)}…` : written;
  const kind = Array.isArray(value) ? 'a list' : 'an object';
  const only = Array.isArray(value) && value.length === 1 ? asText(value[0]) : undefined;
  const example = only === undefined || only.length > shownGold ? '...' : only;
  return `has ${kind}, not a label, in gold column "${column}" (${shown}): a gold label is one value; write the label as text (${JSON.stringify(column)}: ${JSON.stringify(example)})`;
}

/**
 * The gold labels of a row (`labels`, by score), or why one cannot be read. Text is the label as
 * written (blank: none); a number or boolean is read as JavaScript writes it, the text a CSV cell
 * with the same value has (1 and 1.0 are "1", 1e3 is "1000", true is "true"); null and NaN (a
 * missing value in a Parquet float column) are no label; a list or object is refused.
 */
function readGold(
  record: Readonly<Record<string, unknown>>,
  gold: readonly [string, readonly string[]][],
  labels: Record<string, string>,
): string | undefined {
  for (const [score, names] of gold) {
    const column = firstColumn(record, names);
    if (column === undefined) continue;
    const value = record[column];
    if (typeof value === 'string') {
      if (!isBlank(value)) labels[score] = value;
    } else if (typeof value === 'number') {
      if (!Number.isNaN(value)) labels[score] = String(value);
    } else if (typeof value === 'boolean' || typeof value === 'bigint') {
      labels[score] = String(value);
    } else if (typeof value === 'object' && value !== null) {
      return unreadableGold(column, value);
    }
  }
  return undefined;
}

/** Which columns make an item: id, text and the gold label columns per score (`goldColumns`). */
export interface ItemColumns {
  idColumn: string;
  textColumn: string;
  gold?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** A row made into an item (or why it cannot be): `itemOfRecord` with its columns prepared once. */
export type ItemReader = (
  record: Readonly<Record<string, unknown>>,
  rowNumber: number,
  line: number,
) => DatasetItem | DatasetProblem;

/**
 * Why a numeric id above 2^53 is refused: a JSON number (or a Parquet DECIMAL or double) that large
 * has lost its last digits when it was read (12345678901234567890 reads as 12345678901234567000),
 * so two rows could share an id.
 */
function inexactId(idColumn: string, value: number): string {
  return `has a number in column "${idColumn}" too large to read exactly (${String(value)}: a number above 2^53, in JSON or a Parquet DECIMAL or floating-point column, loses its last digits); write the id as text (JSON "...", a Parquet string or int64 column)`;
}

/** Why a row has no text: none, or a list or object where text goes (it was "has no text"). */
function noText(value: unknown, textColumn: string): string {
  if (typeof value !== 'object' || value === null) return `has no text in column "${textColumn}"`;
  const kind = Array.isArray(value) ? 'a list' : 'an object';
  return `has ${kind}, not text, in column "${textColumn}": write the item's text as a string`;
}

/** `itemOfRecord` for many rows: the gold columns are listed once, not per row. */
export function itemReader(columns: ItemColumns): ItemReader {
  const { idColumn, textColumn } = columns;
  const gold = Object.entries(columns.gold ?? {});
  return (record, rowNumber, line) => {
    const text = asText(nameValue(record, textColumn));
    if (text === undefined)
      return { line, message: noText(nameValue(record, textColumn), textColumn) };
    const idValue = hasName(record, idColumn) ? record[idColumn] : rowNumber;
    const rawId = asText(idValue);
    if (rawId === undefined || isBlank(rawId))
      return { line, message: `has no id in column "${idColumn}"` };
    if (typeof idValue === 'number' && Math.abs(idValue) > Number.MAX_SAFE_INTEGER)
      return { line, message: inexactId(idColumn, idValue) };
    // Score and column names are data (`constructor`, `__proto__`): own keys only, no prototype.
    const labels = new LabelRecord();
    const unreadable = readGold(record, gold, labels);
    if (unreadable !== undefined) return { line, message: unreadable };
    // The other columns, in order, as own data properties (a `__proto__` column too): a rest copy.
    const { [idColumn]: _id, [textColumn]: _text, ...metadata } = record;
    const deep = tooDeepColumn(metadata);
    if (deep !== undefined)
      return {
        line,
        message: `has a value nested more than ${maxNesting} levels deep in column "${deep}": flatten it (or drop the column)`,
      };
    return { id: rawId, text, metadata, labels, line };
  };
}

/**
 * Turns one row into an item: id (or the row number), text, gold labels per score, the other
 * columns as metadata; or says why it cannot. Many rows: `itemReader`.
 */
export function itemOfRecord(
  record: Readonly<Record<string, unknown>>,
  options: ItemColumns & { rowNumber: number; line: number },
): DatasetItem | DatasetProblem {
  return itemReader(options)(record, options.rowNumber, options.line);
}

/** A CSV or Parquet file's first row lacks the text column: a setup error, said so. */
function missingTextColumn(path: string, textColumn: string, record: object): DatasetError {
  const columns = Object.keys(record).join(',');
  // UTF-16 (a BOM, NUL bytes between letters) reads as noise: say what the file is.
  if (columns.startsWith('\ufffd') || columns.includes('\u0000'))
    return new DatasetError(
      `${path}: not UTF-8 (it looks like UTF-16: NUL bytes between letters); save it as UTF-8 (in Excel: CSV UTF-8)`,
    );
  const names = Object.keys(record);
  const separator = separatorProblem(path, names, textColumn);
  if (separator !== undefined) return new DatasetError(separator);
  return new DatasetError(
    `${path}: no "${textColumn}" column; columns are: ${names.join(', ')}. Set data.text_column in the scorecard`,
  );
}

type ReadOptions = DatasetOptions & { gold?: Readonly<Record<string, readonly string[]>> };

/**
 * The items of a dataset's rows, one row at a time: an item, or undefined for a row that is
 * reported to `onProblem` (malformed, no text or id, a repeated id), when it is taken.
 */
function rowTaker(options: ReadOptions, format: DatasetFormat | undefined) {
  const textColumn = options.textColumn ?? 'text';
  const toItem = itemReader({ idColumn: options.idColumn ?? 'id', textColumn, gold: options.gold });
  // CSV and Parquet have one set of columns: a missing text column is a setup error, not a row's.
  let checkColumns = format !== 'jsonl';
  const seen = new IdSet();
  const report = options.onProblem ?? (() => {});
  let rowNumber = 0;
  return (row: RawRow): DatasetItem | undefined => {
    rowNumber += 1;
    if (row.kind === 'error') {
      report({ line: row.line, message: row.message, ...row.place });
      return undefined;
    }
    if (checkColumns && !hasName(row.record, textColumn))
      throw missingTextColumn(options.path, textColumn, row.record);
    checkColumns = false;
    const item = toItem(row.record, rowNumber, row.line);
    if ('message' in item) report(item);
    else if (!seen.add(item.id))
      report({ line: row.line, message: `repeats id "${item.id}"; ids must be unique` });
    else return item;
    return undefined;
  };
}

async function rowsOf(options: ReadOptions): Promise<AsyncGenerator<RawRow[]>> {
  try {
    await access(options.path);
  } catch {
    throw new DatasetError(`${options.path}: dataset file not found`);
  }
  return rawRows(options.path, options.format ?? formatOf(options.path), options.onBytes);
}

/** Streams items from a CSV, JSONL or Parquet file; malformed rows go to `onProblem`. */
export async function* readDataset(options: ReadOptions): AsyncGenerator<DatasetItem> {
  const take = rowTaker(options, options.format ?? formatOf(options.path));
  for await (const rows of await rowsOf(options)) {
    for (const row of rows) {
      const item = take(row);
      if (item) yield item;
    }
  }
}

/**
 * `readDataset` in batches, one per chunk read (128 KiB of CSV or JSONL) or Parquet row group,
 * in file order: a consumer that takes a batch at a time saves an async generator's promise turns
 * per item. The rows of a batch are reported to `onProblem` when the batch is made, so one that
 * stops early (`--limit`) may have seen problems of rows after its last item.
 */
export async function* readDatasetBatches(options: ReadOptions): AsyncGenerator<DatasetItem[]> {
  const take = rowTaker(options, options.format ?? formatOf(options.path));
  for await (const rows of await rowsOf(options)) {
    const items: DatasetItem[] = [];
    for (const row of rows) {
      const item = take(row);
      if (item) items.push(item);
    }
    if (items.length > 0) yield items;
  }
}
