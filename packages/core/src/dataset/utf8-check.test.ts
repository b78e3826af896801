import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRows, jsonlRows, type RawRow } from './row-sources.js';
import { firstLineNotUtf8 } from './utf8-check.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-utf8-'));

async function read(name: string, bytes: Buffer): Promise<RawRow[]> {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  const all: RawRow[] = [];
  const rows = name.endsWith('.csv') ? csvRows(path) : jsonlRows(path);
  for await (const batch of rows) all.push(...batch);
  return all;
}

const kinds = (rows: RawRow[]) => rows.map((row) => [row.line, row.kind]);

/** The bytes of a read: 128 KiB (row-sources' `textChunkBytes`). */
const readBytes = 1 << 17;

describe('bytes that are not UTF-8', () => {
  it('reports the Latin-1 rows of a CSV (a "café" read as "caf\uFFFD") and keeps the others', async () => {
    const latin1 = Buffer.from('id,text\n1,caf\xe9 au lait\n2,plain\n3,na\xefve\n', 'latin1');
    const rows = await read('latin1.csv', latin1);
    expect(kinds(rows)).toEqual([
      [2, 'error'],
      [3, 'row'],
      [4, 'error'],
    ]);
    expect(rows[0]).toMatchObject({ message: expect.stringContaining('not UTF-8') });
    expect(rows[0]).toMatchObject({ message: expect.stringContaining('column "text"') });
    expect(rows[0]).toMatchObject({ message: expect.stringContaining('save it as UTF-8') });
  });

  it('reports a JSON Lines row with such bytes', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"a","text":"ok"}\n{"id":"b","text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    expect(kinds(await read('latin1.jsonl', bytes))).toEqual([
      [1, 'row'],
      [2, 'error'],
    ]);
  });

  it('keeps a real U+FFFD in a file that is UTF-8 throughout', async () => {
    const rows = await read('fffd.csv', Buffer.from('id,text\n1,a \uFFFD b\n', 'utf8'));
    expect(rows).toEqual([{ kind: 'row', line: 2, record: { id: '1', text: 'a \uFFFD b' } }]);
  });

  it('a character cut by the end of a read is UTF-8; a lone Latin-1 byte there is not', async () => {
    const header = 'id,text\n1,';
    // "€" is 3 bytes: its first byte is the read's last.
    const euro = Buffer.from('€', 'utf8');
    const fill = 'x'.repeat(readBytes - header.length - 1);
    const cut = Buffer.concat([Buffer.from(header + fill), euro, Buffer.from('\n2,y\n')]);
    expect(cut[readBytes - 1]).toBe(euro[0]);
    expect(kinds(await read('cut.csv', cut))).toEqual([
      [2, 'row'],
      [3, 'row'],
    ]);
    const lone = Buffer.concat([
      Buffer.from(header + fill),
      Buffer.from([0xe9]),
      Buffer.from(' x\n2,y\n'),
    ]);
    expect(lone[readBytes - 1]).toBe(0xe9);
    expect(kinds(await read('lone.csv', lone))).toEqual([
      [2, 'error'],
      [3, 'row'],
    ]);
  });

  it('a header with such bytes is one error for the file, not one per row', async () => {
    const bytes = Buffer.from('id,text,caf\xe9\n1,hello,x\n2,bye,y\n', 'latin1');
    await expect(read('header.csv', bytes)).rejects.toThrow(
      /header\.csv: its header has bytes that are not UTF-8 \(column "caf\uFFFD"\): save it as UTF-8/,
    );
  });

  it('a lead byte at the very end of the file is not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('id,text\n1,caf'), Buffer.from([0xc3])]);
    expect(kinds(await read('end.csv', bytes))).toEqual([[2, 'error']]);
  });
});

describe('firstLineNotUtf8', () => {
  it('gives the line of the first byte that is not UTF-8, across reads of 1 MiB', async () => {
    const path = join(folder, 'scan.csv');
    // 2 MiB of ASCII lines, a "€" cut by the first read's end, then a Latin-1 byte on line 40,002.
    const line = `${'x'.repeat(49)}\n`;
    const head = line.repeat(20_971);
    const euro = Buffer.from('€', 'utf8');
    const pad = 'y'.repeat((1 << 20) - head.length - 1);
    const bytes = Buffer.concat([
      Buffer.from(head + pad),
      euro,
      Buffer.from(`\n${line.repeat(19_029)}caf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    expect(bytes[(1 << 20) - 1]).toBe(euro[0]);
    writeFileSync(path, bytes);
    expect(await firstLineNotUtf8(path)).toBe(20_971 + 1 + 19_029 + 1);
    writeFileSync(path, Buffer.concat([Buffer.from(head + pad), euro, Buffer.from('\nok\n')]));
    expect(await firstLineNotUtf8(path)).toBeUndefined();
    writeFileSync(path, Buffer.from('a\nb\nc\xc3', 'latin1'));
    expect(await firstLineNotUtf8(path)).toBe(3);
  });
});
