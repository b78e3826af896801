import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeedbackFile } from '@plexus/feedback';
import { expect, it } from 'vitest';
import { queueCsv } from './commands/review.js';

// The review queue's item_id cell was written raw: an item id from a dataset such as
// `=HYPERLINK(...)` is a formula to the spreadsheet a reviewer opens it in. It gets a leading '
// as every other cell does, and import takes it off again.
it('writes a formula-like item id inert, and imports it back as it was', async () => {
  const itemId = '=HYPERLINK("http://x","y")';
  const csv = queueCsv(
    {
      items: [{ item_id: itemId, text: 'hi', answers: { Sentiment: 'pos' }, priority: 0.4 }],
      considered: 1,
      unranked: 0,
    },
    ['Sentiment'],
  );
  const row = csv.trim().split('\n')[1]!;
  expect(row.startsWith(`"'=HYPERLINK(`)).toBe(true);
  const file = join(mkdtempSync(join(tmpdir(), 'plexus-queue-formulas-')), 'queue.csv');
  writeFileSync(file, csv.replace(',Sentiment,,', ',Sentiment,neg,'));
  const read = await readFeedbackFile(file, { reviewer: 'ana' });
  expect(read.records.map((record) => [record.item_id, record.label])).toEqual([[itemId, 'neg']]);
});
