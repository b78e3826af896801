import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// feedback export --format csv wrote labels and comments raw: a comment "=HYPERLINK(...)" or a
// label "-1" is a formula to a spreadsheet. They get a leading ' now, which import takes off.
it('exports reviews as spreadsheet-safe CSV, and imports the export back as it was', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-feedback-formulas-'));
  const reviews = join(folder, 'reviews.jsonl');
  const given = [
    { item_id: 'a', score: 'Sentiment', label: '-1', comment: '=HYPERLINK("http://x","y")' },
    { item_id: 'b', score: 'Sentiment', label: '+1', comment: '@SUM(1)' },
    { item_id: 'c', score: 'Sentiment', label: '0', comment: "'=already quoted" },
  ].map((review) => ({ ...review, reviewer: 'ana', reviewed_at: '2026-03-01T09:30:00.000Z' }));
  writeFileSync(reviews, `${given.map((review) => JSON.stringify(review)).join('\n')}\n`);
  const db = join(folder, 'feedback.sqlite');
  expect((await runMain(['feedback', 'import', reviews, '--feedback-db', db])).code).toBe(0);
  const csv = join(folder, 'export.csv');
  const exported = await runMain(['feedback', 'export', '--feedback-db', db, '--out', csv]);
  expect(exported.code, exported.stderr).toBe(0);
  const cells = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  for (const row of cells)
    for (const cell of row.split(',')) expect(cell).not.toMatch(/^"?[=+\-@]/);
  expect(cells[0]).toContain(",'-1,");
  // Imported into another database, then exported as JSON Lines: the reviews as given.
  const again = join(folder, 'again.sqlite');
  expect((await runMain(['feedback', 'import', csv, '--feedback-db', again])).code).toBe(0);
  const back = await runMain(['feedback', 'export', '--format', 'jsonl', '--feedback-db', again]);
  const read = back.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(read.map(({ item_id, label, comment }) => ({ item_id, label, comment }))).toEqual(
    given.map(({ item_id, label, comment }) => ({ item_id, label, comment })),
  );
});
