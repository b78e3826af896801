import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// feedback import gathered a file's reviews with push(...reviews): a file of 200,000 or more
// reviews overflowed the stack ("plexus: Maximum call stack size exceeded", exit 1, nothing
// imported). It imports them all, as it does a small file.
it('imports a file of 250,000 reviews, every one exported back', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-feedback-many-'));
  const reviews = join(folder, 'reviews.csv');
  const rows = Array.from(
    { length: 250_000 },
    (_, index) =>
      `item-${Math.floor(index / 2)},Greeting,${index % 7 === 0 ? 'no' : 'yes'},${index % 2 === 0 ? 'ana' : 'bo'},2026-11-01T10:00:00Z,`,
  );
  writeFileSync(reviews, `item_id,score,label,reviewer,reviewed_at,comment\n${rows.join('\n')}\n`);
  const db = join(folder, 'feedback.sqlite');
  const imported = await runMain(['feedback', 'import', reviews, '--feedback-db', db]);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  expect(imported.stdout).toContain('250000 reviews: 250000 added, 0 already there, 0 changed');
  const csv = join(folder, 'export.csv');
  expect((await runMain(['feedback', 'export', '--feedback-db', db, '--out', csv])).code).toBe(0);
  const exported = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  expect(exported).toHaveLength(250_000);
  // Counted by hand: every 7th row (0, 7, ...) is "no".
  expect(exported.filter((row) => row.split(',')[2] === 'no')).toHaveLength(Math.ceil(250_000 / 7));
}, 120_000);
