import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRows, jsonlRows, type RawRow } from './row-sources.js';

async function rows(path: string): Promise<RawRow[]> {
  const all: RawRow[] = [];
  for await (const batch of jsonlRows(path)) all.push(...batch);
  return all;
}

describe('jsonlRows', () => {
  it('a \\r\\n split between two 64 KB chunks is one line end', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-jsonl-'));
    const path = join(folder, 'split.jsonl');
    const prefix = '{"id":"a","text":"';
    // The first line fills the first chunk but its last byte: the \r ends chunk 1, the \n starts 2.
    const first = `${prefix}${'x'.repeat(65_535 - prefix.length - 2)}"}`;
    expect(first.length).toBe(65_535);
    // No other line end in chunk 2: its first byte is the last line end found there.
    writeFileSync(path, `${first}\r\n{"id":"b","text":"y"}`);
    const read = await rows(path);
    expect(read.map((row) => [row.kind, row.line])).toEqual([
      ['row', 1],
      ['row', 2],
    ]);
  });

  it('reads a first line that starts with a byte-order mark (UTF-8 with BOM)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-jsonl-'));
    const path = join(folder, 'bom.jsonl');
    writeFileSync(path, '\uFEFF{"id":"a","text":"x"}\n\uFEFF{"id":"b","text":"y"}\n');
    const read = await rows(path);
    expect(read[0]).toEqual({ kind: 'row', line: 1, record: { id: 'a', text: 'x' } });
    // Only the file's start: a mark inside the file is a malformed line, as JSON says.
    expect(read[1]).toMatchObject({ kind: 'error', line: 2 });
  });
});

describe('csvRows', () => {
  it('refuses a header that names a column twice', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-csv-'));
    const path = join(folder, 'twice.csv');
    writeFileSync(path, 'id,text,text,,\n1,free,other,,\n');
    const read = async () => {
      for await (const _batch of csvRows(path)) {
        // reading is what fails
      }
    };
    await expect(read()).rejects.toThrow(
      `${path}: the header (line 1) names column "text" twice (columns 2 and 3)`,
    );
    writeFileSync(path, 'id,text,,\n1,free,,\n');
    await expect(read()).resolves.toBeUndefined(); // unnamed columns may repeat
  });
});
