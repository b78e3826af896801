import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../common/errors.js';
import { type DatasetItem, readDataset } from './dataset.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-parquet-'));

/** A sound file of three rows: id, text and the columns given. */
function writeParquet(name: string, extra: { name: string; data: string[] }[] = []): string {
  const path = join(folder, name);
  parquetWriteFile({
    filename: path,
    columnData: [
      { name: 'id', data: ['p1', 'p2', 'p3'], type: 'STRING' },
      { name: 'text', data: ['one', 'two', 'three'], type: 'STRING' },
      ...extra.map((column) => ({ ...column, type: 'STRING' as const })),
    ],
  });
  return path;
}

/** A copy of a sound file with its bytes changed by `change`. */
function broken(name: string, change: (bytes: Buffer) => Buffer): string {
  const bytes = change(Buffer.from(readFileSync(writeParquet(`${name}-sound.parquet`))));
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

async function read(path: string): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const item of readDataset({ path, onProblem: () => {} })) items.push(item);
  return items;
}

/** The message of the DatasetError reading `path` throws. */
async function failure(path: string): Promise<string> {
  const error = await read(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DatasetError);
  const message = (error as Error).message;
  // No JavaScript internals: what is wrong with the file, in its words.
  expect(message).not.toMatch(/Cannot read properties|undefined|DataView|TypeError|RangeError/);
  return message;
}

describe('a broken Parquet file is bad input that says what is wrong', () => {
  it('names a footer length beyond the file size', async () => {
    const path = broken('long-footer.parquet', (bytes) => {
      bytes.writeUInt32LE(123456, bytes.length - 8);
      return bytes;
    });
    const size = readFileSync(path).length;
    expect(await failure(path)).toBe(
      `${path}: not a readable Parquet file: footer length 123456 exceeds the file size ${size} (less the 12 bytes of magic and length): the file is cut short or corrupt; write the file again, or copy it again if it was copied`,
    );
  });

  it('says the footer cannot be decoded, without the decoder’s internal error', async () => {
    // A footer length of 5: hyparquet reads past the metadata ("Cannot read properties of undefined").
    const path = broken('short-footer.parquet', (bytes) => {
      bytes.writeUInt32LE(5, bytes.length - 8);
      return bytes;
    });
    expect(await failure(path)).toBe(
      `${path}: not a readable Parquet file: its footer (the metadata) cannot be decoded (corrupt metadata); write the file again, or copy it again if it was copied`,
    );
  });

  it('names a file cut short, a file too small and a file that is not Parquet', async () => {
    const cut = broken('cut.parquet', (bytes) => bytes.subarray(0, bytes.length - 20));
    expect(await failure(cut)).toContain(
      'not a readable Parquet file: it does not end with the Parquet magic bytes "PAR1" (a file cut short, or not Parquet)',
    );
    const tiny = broken('tiny.parquet', () => Buffer.from('PAR1'));
    expect(await failure(tiny)).toContain(
      `${tiny}: not a readable Parquet file: 4 bytes, fewer than the 12 of the smallest Parquet file`,
    );
    const other = broken('other.parquet', (bytes) => {
      bytes.write('XXXX', 0, 'latin1');
      return bytes;
    });
    expect(await failure(other)).toContain('it does not start with the Parquet magic bytes "PAR1"');
  });
});

describe('Parquet column names are data', () => {
  it('reads columns named __proto__ and constructor like any other', async () => {
    const path = writeParquet('names.parquet', [
      { name: '__proto__', data: ['x', 'y', 'z'] },
      { name: 'constructor', data: ['1', '2', '3'] },
    ]);
    const items = await read(path);
    expect(items.map((item) => item.id)).toEqual(['p1', 'p2', 'p3']);
    const metadata = items[1]!.metadata;
    expect(Object.hasOwn(metadata, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')?.value).toBe('y');
    expect(Object.getOwnPropertyDescriptor(metadata, 'constructor')?.value).toBe('2');
    expect(items[1]!.text).toBe('two');
  });
});
