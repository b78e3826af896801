import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readDataset } from './dataset.js';

// A semicolon CSV (Excel's CSV in many languages) was told `no "text" column; columns are:
// id;text;label. Set data.text_column`: a setting that cannot read it. A .tsv was told to set
// data.format, which cannot read tabs either.
const folder = mkdtempSync(join(tmpdir(), 'plexus-separators-'));

async function readError(name: string, text: string): Promise<string> {
  const path = join(folder, name);
  writeFileSync(path, text);
  try {
    for await (const _item of readDataset({ path, format: 'csv' })) {
      // reads until the header is checked
    }
  } catch (error) {
    return (error as Error).message;
  }
  return 'read';
}

it('names the separator a one-column header uses, and the fix', async () => {
  for (const [separator, name] of [
    [';', 'semicolons'],
    ['\t', 'tabs'],
    ['|', 'vertical bars'],
  ] as const) {
    const message = await readError(
      'data.csv',
      `id${separator}text${separator}label\n1${separator}hi${separator}yes\n`,
    );
    expect(message).toContain(`its names are separated by ${name}, not commas`);
    expect(message).toContain('save it as "CSV UTF-8 (Comma delimited)"');
  }
  // A one-column file without the text column is still told its columns.
  expect(await readError('body.csv', 'body\nhello\n')).toContain(
    'no "text" column; columns are: body',
  );
});

it('tells a .tsv or a workbook what to save it as', async () => {
  const read = async (name: string) => {
    const path = join(folder, name);
    writeFileSync(path, 'id\ttext\n');
    try {
      for await (const _item of readDataset({ path })) {
        // the format is refused before any row
      }
    } catch (error) {
      return (error as Error).message;
    }
    return 'read';
  };
  expect(await read('data.tsv')).toContain('tab-separated files are not read: save it as CSV');
  expect(await read('data.xlsx')).toContain('save the sheet as "CSV UTF-8 (Comma delimited)"');
  expect(await read('data.txt')).toContain(
    'use a .csv, .jsonl or .parquet file or set data.format',
  );
});
