// The Spark job's CSV step against core's reader (an independent path: readDataset on the file).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { readDataset } from '@plexus/core';
import { expect, it } from 'vitest';
import { type CsvRowLine, writeCsvRows } from './csv-rows.js';

/** Ids (row numbers: no id column) and problems as core's reader gives them for a file. */
async function localRead(path: string) {
  const problems: { line: number; message: string }[] = [];
  const items: { id: string; line: number; text: string }[] = [];
  for await (const item of readDataset({ path, onProblem: (problem) => problems.push(problem) }))
    items.push({ id: item.id, line: item.line, text: item.text });
  return { items, problems: problems.map(({ line, message }) => ({ line, message })) };
}

async function parsed(text: string, chunk: number): Promise<CsvRowLine[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (data: Buffer) => {
    written += data.toString('utf8');
  });
  const done = writeCsvRows(input, output);
  for (let start = 0; start < text.length; start += chunk)
    input.write(text.slice(start, start + chunk));
  input.end();
  await done;
  return written
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CsvRowLine);
}

it('reads and numbers CSV rows as core reads the file (blank lines, quotes, bad rows)', async () => {
  const text = [
    'text,label',
    'first,ham',
    '',
    '"spans\r\ntwo lines",spam',
    'one,two,three',
    '"closed" late,ham',
    '   ',
    'last,ham',
  ].join('\r\n');
  const path = join(mkdtempSync(join(tmpdir(), 'plexus-csv-rows-')), 'rows.csv');
  writeFileSync(path, text);
  const local = await localRead(path);
  // By hand: rows 1..6 after the header (the blank line 3 is none); 2 and 6 are items.
  expect(local.items.map((item) => item.id)).toEqual(['1', '2', '6']);
  for (const chunk of [3, 1 << 16]) {
    const rows = await parsed(text, chunk);
    const items = rows.filter((row) => row.value !== undefined);
    expect(
      items.map((row) => ({
        id: String(row.n),
        line: row.line,
        text: (JSON.parse(row.value!) as { text: string }).text,
      })),
    ).toEqual(local.items);
    // Problems, in file order, with the lines and messages core gives them.
    expect(
      rows
        .filter((row) => row.problem !== undefined)
        .map((row) => ({ line: row.line, message: row.problem })),
    ).toEqual(local.problems);
    expect(rows.map((row) => row.n)).toEqual([1, 2, 3, 4, 5, 6]);
  }
});

it('stops at a header that names a column twice, as core does', async () => {
  await expect(parsed('id,text,text\n1,a,b\n', 64)).rejects.toThrow(
    'the CSV dataset: the header (line 1) names column "text" twice (columns 2 and 3)',
  );
});
