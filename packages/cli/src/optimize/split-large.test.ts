import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type SplitName, splitNames, writeSplits } from './split.js';

// optimize's split added each label's part with push(...part): a label of over ~120,000 items
// overflowed the stack ("Maximum call stack size exceeded"); each part's file was one joined
// string, near V8's 512 MB limit for a million transcripts. Same split as before, in pieces.

const folder = mkdtempSync(join(tmpdir(), 'plexus-split-large-'));
const fractions: Record<SplitName, number> = { train: 0.5, validation: 0.3, holdout: 0.2 };

function dataset(name: string, count: number, labelOf: (index: number) => string): string {
  const path = join(folder, `${name}.csv`);
  const rows = Array.from(
    { length: count },
    (_, index) => `r${index},text ${index},${labelOf(index)}`,
  );
  writeFileSync(path, `id,text,label\n${rows.join('\n')}\n`);
  return path;
}

const split = (dataPath: string, outDir: string) =>
  writeSplits({
    dataPath,
    score: 'S',
    goldColumn: 'label',
    columns: {},
    seed: 3,
    fractions,
    outDir,
  });

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

it('splits a small dataset exactly as before', async () => {
  const out = join(folder, 'small');
  const record = await split(
    dataset('small', 300, (index) => ['a', 'b', 'c'][(index % 7) % 3]!),
    out,
  );
  const files = splitNames.map((name) => readFileSync(join(out, `${name}.jsonl`), 'utf8'));
  // Digests taken from the code before this change (same data, seed and fractions).
  expect(digest(JSON.stringify(record.ids))).toBe('c7069ba8a2b64e0b');
  expect(digest(files.join('|'))).toBe('3902e344870be0af');
});

it('splits a label of 300,000 items', async () => {
  const out = join(folder, 'large');
  const record = await split(
    dataset('large', 300_000, () => 'yes'),
    out,
  );
  expect(splitNames.map((name) => record.ids[name].length)).toEqual([150_000, 90_000, 60_000]);
  const lines = readFileSync(join(out, 'validation.jsonl'), 'utf8').trimEnd().split('\n');
  expect(lines).toHaveLength(90_000);
  expect(lines.map((line) => JSON.parse(line).id)).toEqual(record.ids.validation);
});
