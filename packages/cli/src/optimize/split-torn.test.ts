// split.json was written in place: a kill in the middle of its write left it cut short, and every
// `--resume` stopped on "Unexpected end of JSON input", naming no file. It is written whole (a
// temporary file renamed), and one cut short says how to go on: the split is made again, the same.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeSplits } from './split.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-split-torn-'));
const data = join(folder, 'items.csv');
const rows = Array.from(
  { length: 40 },
  (_, index) => `r${index},text ${index},${index % 2 ? 'a' : 'b'}`,
);
writeFileSync(data, `id,text,label\n${rows.join('\n')}\n`);
const outDir = join(folder, 'out');
const split = () =>
  writeSplits({
    dataPath: data,
    score: 'S',
    goldColumn: 'label',
    columns: {},
    seed: 3,
    fractions: { train: 0.5, validation: 0.3, holdout: 0.2 },
    outDir,
  });

it('names a split.json cut short and the way on, and makes the same split again', async () => {
  const first = await split();
  expect(readdirSync(outDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  const path = join(outDir, 'split.json');
  const whole = readFileSync(path, 'utf8');
  writeFileSync(path, whole.slice(0, 50));
  await expect(split()).rejects.toThrow(
    /split\.json: cannot be read \(.*; cut short\?\): remove it and --resume again/,
  );
  rmSync(path);
  expect(await split()).toEqual(first);
  expect(readFileSync(path, 'utf8')).toBe(whole);
});
