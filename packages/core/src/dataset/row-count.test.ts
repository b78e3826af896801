import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readDataset } from './dataset.js';
import { countRows } from './row-count.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-row-count-'));

/** Items plus malformed rows, as a run reads them: the count a total must match. */
async function readRows(path: string): Promise<number> {
  let rows = 0;
  for await (const _item of readDataset({ path, gold: {}, onProblem: () => (rows += 1) }))
    rows += 1;
  return rows;
}

describe('countRows', () => {
  it('counts CSV rows, not lines: quoted newlines, CRLF, blank lines and a last row without newline', async () => {
    const path = join(folder, 'rows.csv');
    const quoted = `"line one\nline two\n\nline four"`;
    writeFileSync(
      path,
      `id,text\r\n1,plain\r\n2,${quoted}\r\n\r\n3,"say ""hi""\nthere"\n4,"${'x'.repeat(3_000_000)}"\n5,last`,
    );
    expect(await countRows(path)).toEqual({ rows: 5, exact: true });
    expect(await readRows(path)).toBe(5);
  });

  it('counts JSONL lines that hold something, and Parquet rows from the metadata', async () => {
    const jsonl = join(folder, 'rows.jsonl');
    writeFileSync(jsonl, '{"id":"a","text":"x"}\n\n{"id":"b","text":"y\\nz"}\n{"broken\n');
    expect(await countRows(jsonl)).toEqual({ rows: 3, exact: true });
    expect(await readRows(jsonl)).toBe(3);
    const parquet = join(folder, 'rows.parquet');
    parquetWriteFile({
      filename: parquet,
      columnData: [
        { name: 'id', data: ['p1', 'p2', 'p3'], type: 'STRING' },
        { name: 'text', data: ['one', 'two', 'three'], type: 'STRING' },
      ],
      rowGroupSize: 2,
    });
    expect(await countRows(parquet)).toEqual({ rows: 3, exact: true });
  });

  it('says when a count may be off (an unclosed quote) and gives up on unreadable files', async () => {
    const path = join(folder, 'open-quote.csv');
    writeFileSync(path, 'id,text\n1,"never closed\n2,b\n');
    expect((await countRows(path))!.exact).toBe(false);
    expect(await countRows(join(folder, 'missing.csv'))).toBeUndefined();
    expect(await countRows(join(folder, 'data.txt'))).toBeUndefined();
  });
});
