import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { type DatasetProblem, readDataset } from './dataset.js';
import { maxNesting, tooDeepColumn } from './metadata-values.js';

// A JSON Lines row whose metadata nests 200,000 levels deep read fine, then the cache key's hash
// recursed until the stack overflowed: the whole run failed ("Maximum call stack size exceeded")
// with no row named and nothing scored. The row is now reported; the others are read.
it('reports a row whose column nests too deep, and reads the rows around it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'plexus-deep-')), 'deep.jsonl');
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  writeFileSync(
    path,
    [
      '{"id":"a","text":"one"}',
      `{"id":"b","text":"two","meta":${nested(200_000)}}`,
      `{"id":"c","text":"three","meta":{"x":${nested(maxNesting - 1)}}}`,
      `{"id":"d","text":"four","meta":{"x":${nested(maxNesting)}}}`,
    ].join('\n'),
  );
  const problems: DatasetProblem[] = [];
  const ids: string[] = [];
  for await (const item of readDataset({ path, onProblem: (problem) => problems.push(problem) }))
    ids.push(item.id);
  // `c` nests exactly 64 levels (its object, then 63 lists): kept; `d` nests 65.
  expect(ids).toEqual(['a', 'c']);
  expect(problems).toEqual([
    {
      line: 2,
      message: `has a value nested more than 64 levels deep in column "meta": flatten it (or drop the column)`,
    },
    {
      line: 4,
      message: `has a value nested more than 64 levels deep in column "meta": flatten it (or drop the column)`,
    },
  ]);
});

it('takes bytes (a Parquet binary value) as one value, without walking them', () => {
  // Walking a megabyte byte by byte took ~100 ms per row.
  const bytes = new Uint8Array(1 << 20);
  const values = vi.spyOn(Object, 'values');
  try {
    expect(tooDeepColumn({ blob: bytes, nested: { list: [bytes] } })).toBeUndefined();
    expect(values.mock.calls.filter(([value]) => ArrayBuffer.isView(value))).toEqual([]);
  } finally {
    values.mockRestore();
  }
});
