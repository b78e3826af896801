import { access } from 'node:fs/promises';
import { DatasetError } from '../common/errors.js';
import { hasName, nameRecord, nameValue, setName } from '../text/name-records.js';
import { IdSet } from './id-set.js';
import { type ByteTap, type DatasetFormat, formatOf, rawRows } from './row-sources.js';

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

/**
 * Turns one row into an item: id (or the row number), text, gold labels per score, the other
 * columns as metadata; or says why it cannot.
 */
export function itemOfRecord(
  record: Readonly<Record<string, unknown>>,
  options: {
    idColumn: string;
    textColumn: string;
    gold?: Readonly<Record<string, readonly string[]>> | undefined;
    rowNumber: number;
    line: number;
  },
): DatasetItem | DatasetProblem {
  const { idColumn, textColumn, line } = options;
  const text = asText(nameValue(record, textColumn));
  if (text === undefined) return { line, message: `has no text in column "${textColumn}"` };
  const rawId = hasName(record, idColumn) ? asText(record[idColumn]) : String(options.rowNumber);
  if (rawId === undefined || rawId.trim() === '')
    return { line, message: `has no id in column "${idColumn}"` };
  // Score and column names are data (`constructor`, `__proto__`): own keys only, no prototype.
  const labels = nameRecord<string>();
  for (const [score, columns] of Object.entries(options.gold ?? {})) {
    const column = columns.find((name) => hasName(record, name));
    const value = column === undefined ? undefined : asText(record[column]);
    if (value !== undefined && value.trim() !== '') labels[score] = value;
  }
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== idColumn && key !== textColumn) setName(metadata, key, value);
  }
  return { id: rawId, text, metadata, labels, line };
}

/** Streams items from a CSV, JSONL or Parquet file; malformed rows go to `onProblem`. */
export async function* readDataset(
  options: DatasetOptions & { gold?: Readonly<Record<string, readonly string[]>> },
): AsyncGenerator<DatasetItem> {
  try {
    await access(options.path);
  } catch {
    throw new DatasetError(`${options.path}: dataset file not found`);
  }
  const idColumn = options.idColumn ?? 'id';
  const textColumn = options.textColumn ?? 'text';
  const format = options.format ?? formatOf(options.path);
  // CSV and Parquet have one set of columns: a missing text column is a setup error, not a row's.
  const fixedColumns = format !== 'jsonl';
  const seen = new IdSet();
  const report = options.onProblem ?? (() => {});
  let rowNumber = 0;
  let checkedColumns = false;
  for await (const rows of rawRows(options.path, format, options.onBytes)) {
    for (const row of rows) {
      rowNumber += 1;
      if (row.kind === 'error') {
        report({ line: row.line, message: row.message, ...row.place });
        continue;
      }
      const record = row.record;
      if (fixedColumns && !checkedColumns && !hasName(record, textColumn)) {
        const columns = Object.keys(record).join(',');
        // UTF-16 (a BOM, NUL bytes between letters) reads as noise: say what the file is.
        if (columns.startsWith('\ufffd') || columns.includes('\u0000'))
          throw new DatasetError(
            `${options.path}: not UTF-8 (it looks like UTF-16: NUL bytes between letters); save it as UTF-8 (in Excel: CSV UTF-8)`,
          );
        throw new DatasetError(
          `${options.path}: no "${textColumn}" column; columns are: ${Object.keys(record).join(', ')}. Set data.text_column in the scorecard`,
        );
      }
      checkedColumns = true;
      const item = itemOfRecord(record, {
        idColumn,
        textColumn,
        gold: options.gold,
        rowNumber,
        line: row.line,
      });
      if ('message' in item) {
        report(item);
        continue;
      }
      if (!seen.add(item.id)) {
        report({ line: row.line, message: `repeats id "${item.id}"; ids must be unique` });
        continue;
      }
      yield item;
    }
  }
}
