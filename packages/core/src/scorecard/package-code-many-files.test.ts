import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { packageCode } from './package-code.js';

// Over 1,000 files, the walk stopped at the 1,001st the file system listed and hashed only those:
// which ones depends on the file system's order, and a change to any other file went unseen.
it('hashes the names and sizes of every file of a package over the caps', () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-many-files-'));
  const dist = join(folder, 'dist');
  mkdirSync(dist);
  writeFileSync(join(folder, 'package.json'), '{"name":"many","version":"1.0.0"}');
  const files = Array.from({ length: 2000 }, (_, index) => `f${String(index).padStart(4, '0')}.js`);
  for (const file of files) writeFileSync(join(dist, file), 'x');
  const entry = join(dist, 'f0000.js');
  const before = packageCode('many', folder, entry);
  expect(before.startsWith('many@1.0.0 ')).toBe(true);
  const unseen = files.filter((file, index) => {
    if (index % 100 !== 99) return false;
    writeFileSync(join(dist, file), 'xy');
    const after = packageCode('many', folder, entry);
    writeFileSync(join(dist, file), 'x');
    return after === before;
  });
  expect(unseen).toEqual([]);
  expect(packageCode('many', folder, entry)).toBe(before);
});
