import { open } from 'node:fs/promises';
import { DatasetError, errorMessage } from '../common/errors.js';
import { setName } from '../text/name-records.js';
import type { RawRow, RowGroupPlace } from './raw-row.js';

type Hyparquet = typeof import('hyparquet');
type ParquetMetadata = Awaited<ReturnType<Hyparquet['parquetMetadataAsync']>>;

/** "PAR1": the 4 bytes a Parquet file starts and ends with. */
const magic = 'PAR1';
/** Header magic, then the footer: metadata, its length (4 bytes) and the magic again. */
const smallestFile = 12;

/**
 * What is wrong with the file's frame (the magic bytes at both ends and the footer's length), in
 * words, or undefined when it is sound; read from the file itself before any decoder runs.
 */
export async function parquetFrameProblem(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < smallestFile)
      return `${size} bytes, fewer than the ${smallestFile} of the smallest Parquet file`;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 8, size - 8);
    if (head.toString('latin1') !== magic)
      return `it does not start with the Parquet magic bytes "${magic}"`;
    if (tail.toString('latin1', 4) !== magic)
      return `it does not end with the Parquet magic bytes "${magic}" (a file cut short, or not Parquet)`;
    const footer = tail.readUInt32LE(0);
    if (footer > size - smallestFile)
      return `footer length ${footer} exceeds the file size ${size} (less the ${smallestFile} bytes of magic and length): the file is cut short or corrupt`;
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * What is wrong, in brackets, with the decoder's message when it is the decoder's own; a
 * JavaScript internal error (a TypeError or RangeError from reading past the data) says nothing
 * about the file and is left out.
 */
function decoderDetail(wrong: string, error: unknown): string {
  if (error instanceof TypeError || error instanceof RangeError) return ` (${wrong})`;
  return ` (${wrong}; the decoder says: ${errorMessage(error)})`;
}

const rewrite = 'write the file again, or copy it again if it was copied';

/** The file and its metadata, or a DatasetError naming the file, what is wrong and the fix. */
async function openParquet(hyparquet: Hyparquet, path: string) {
  const problem = await parquetFrameProblem(path).catch((error: unknown) => {
    throw new DatasetError(`${path}: cannot read the Parquet file (${errorMessage(error)})`, {
      cause: error,
    });
  });
  if (problem)
    throw new DatasetError(`${path}: not a readable Parquet file: ${problem}; ${rewrite}`);
  const file = await hyparquet.asyncBufferFromFile(path);
  try {
    return { file, metadata: await hyparquet.parquetMetadataAsync(file) };
  } catch (error) {
    throw new DatasetError(
      `${path}: not a readable Parquet file: its footer (the metadata) cannot be decoded${decoderDetail('corrupt metadata', error)}; ${rewrite}`,
      { cause: error },
    );
  }
}

/** Parquet values as the other formats give them: integers as numbers (or text when too big), dates as ISO text. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Rows skipped per batch when a row group cannot be decoded: one problem per row, in slices. */
const skippedBatch = 10_000;

/** The rows of a row group that could not be decoded, each a problem, in slices. */
function* skippedGroup(place: RowGroupPlace, message: string): Generator<RawRow[]> {
  const [firstRow, lastRow] = place.row_range;
  for (let first = firstRow; first <= lastRow; first += skippedBatch)
    yield Array.from(
      { length: Math.min(skippedBatch, lastRow - first + 1) },
      (_, offset): RawRow => ({ kind: 'error', line: first + offset, message, place }),
    );
}

/** One row group's rows as arrays of the top-level `columns`' values, or the decoder's error. */
async function readGroup(
  hyparquet: Hyparquet,
  source: {
    file: Awaited<ReturnType<Hyparquet['asyncBufferFromFile']>>;
    metadata: ParquetMetadata;
  },
  columns: string[],
  range: { rowStart: number; rowEnd: number },
): Promise<{ rows: unknown[][] } | { failure: unknown }> {
  try {
    let rows: unknown[][] = [];
    // Rows as arrays, not objects: a column named `__proto__` would be lost as an object key.
    await hyparquet.parquetRead({
      ...source,
      ...range,
      columns,
      rowFormat: 'array',
      onComplete: (read: unknown[][]) => {
        rows = read;
      },
    });
    return { rows };
  } catch (failure) {
    return { failure };
  }
}

/**
 * Parquet rows, one row group at a time; `line` is the 1-based row number. Every column name is
 * data (`__proto__` and `constructor` included). A file whose frame or footer is broken is bad
 * input naming the file and what is wrong; a row group that cannot be decoded (corrupt pages) is
 * one problem per row, naming the file, group and rows, and the next groups are read.
 */
export async function* parquetRows(path: string): AsyncGenerator<RawRow[]> {
  // Loaded on first use: most runs read CSV or JSONL and should not pay for it at start-up.
  const hyparquet = await import('hyparquet');
  const source = await openParquet(hyparquet, path);
  const columns = hyparquet
    .parquetSchema(source.metadata)
    .children.map((child) => child.element.name);
  let rowStart = 0;
  const groups = source.metadata.row_groups.length;
  for (const [index, group] of source.metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    const read = await readGroup(hyparquet, source, columns, { rowStart, rowEnd });
    if ('rows' in read) {
      yield read.rows.map((values, offset): RawRow => {
        const record: Record<string, unknown> = {};
        for (const [position, column] of columns.entries())
          setName(record, column, plain(values[position]));
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
        `row group ${index + 1} of ${groups} (rows ${rowStart + 1}-${rowEnd}) of ${path} cannot be decoded${decoderDetail('corrupt data pages', read.failure)}; its rows were skipped`,
      );
    }
    rowStart = rowEnd;
  }
}
