// A hostile dataset (issue 22): a Parquet file with a corrupt row group is reported by file, group
// and rows, its other groups scored, and a resume does the same. (More hostile datasets:
// hostile-datasets.test.ts and hostile-datasets-escapes.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetProblem } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { card, dir } from './datasets-harness.js';
import { runCli, storedResults } from './harness.js';

// The Parquet writer and reader are core's own dependencies, used here from core's folder.
interface ParquetWriter {
  parquetWriteFile: (options: {
    filename: string;
    columnData: { name: string; data: string[]; type: 'STRING' }[];
    rowGroupSize: number;
  }) => void;
}
interface ParquetReader {
  parquetMetadata: (buffer: ArrayBuffer) => {
    row_groups: {
      columns: { meta_data?: { data_page_offset: bigint; total_compressed_size: bigint } }[];
    }[];
  };
}
const coreModules = new URL('../../packages/core/node_modules/', import.meta.url);

/** 300 rows in 3 row groups of 100; the text column's pages of group 2 overwritten with 0xff. */
async function corruptParquet(path: string): Promise<void> {
  const writer = (await import(
    new URL('hyparquet-writer/src/node.js', coreModules).href
  )) as ParquetWriter;
  const reader = (await import(
    new URL('hyparquet/src/node.js', coreModules).href
  )) as ParquetReader;
  const ids = Array.from({ length: 300 }, (_, index) => `p${index + 1}`);
  writer.parquetWriteFile({
    filename: path,
    columnData: [
      { name: 'id', data: ids, type: 'STRING' },
      { name: 'text', data: ids.map((id) => `hello from row ${id}, `.repeat(4)), type: 'STRING' },
    ],
    rowGroupSize: 100,
  });
  const bytes = readFileSync(path);
  const metadata = reader.parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  const column = metadata.row_groups[1]!.columns[1]!.meta_data!;
  const start = Number(column.data_page_offset);
  const length = Number(column.total_compressed_size);
  bytes.fill(0xff, start + Math.floor(length / 2), start + length - 4);
  writeFileSync(path, bytes);
}

describe('Parquet with a corrupt row group', () => {
  it('the group is reported by file, group and rows; the other groups are scored; resume does the same', async () => {
    const path = join(dir, 'corrupt.parquet');
    await corruptParquet(path);
    const out = join(dir, 'run-parquet');
    const first = await runCli(['evaluate', card, '--data', path, '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `${path}:101: row skipped: row group 2 of 3 (rows 101-200) of ${path} cannot be decoded (`,
    );
    expect(first.stdout).toMatch(/200 items, 200 results, 0 errors, 100 rows skipped/);
    const scored = storedResults(out).map((result) => Number(result.item.slice(1)));
    expect(scored.toSorted((a, b) => a - b)).toEqual([
      ...Array.from({ length: 100 }, (_, index) => index + 1),
      ...Array.from({ length: 100 }, (_, index) => index + 201),
    ]);
    const problems = readFileSync(join(out, 'dataset-errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as DatasetProblem);
    expect(problems.map((problem) => problem.line)).toEqual(
      Array.from({ length: 100 }, (_, index) => index + 101),
    );
    expect(problems[0]).toMatchObject({ file: path, row_group: 2, row_range: [101, 200] });
    const resumed = await runCli(['evaluate', card, '--data', path, '--resume', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/200 items, 200 results, 0 errors, 100 rows skipped/);
    expect(storedResults(out)).toHaveLength(200);
  });
});
