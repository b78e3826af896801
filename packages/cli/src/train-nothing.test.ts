// plexus train on a file with no row to train on told every case to "set label_column": an empty
// file, rows whose gold cells are empty, and gold labels that are none of the score's alike.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const write = fileWriter(mkdtempSync(join(tmpdir(), 'plexus-train-nothing-')));
const card = write(
  'card.yaml',
  'name: Spam\nscores:\n  - { name: Spam Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: spam.forest.json, trees: 5 }\n',
);

async function trained(name: string, text: string) {
  const run = await runMain(['train', card, '--data', write(name, text)]);
  expect(run.code).toBe(2);
  return run.stderr;
}

it('says why no row can train the score, with the fix that fits', async () => {
  expect(await trained('empty.csv', 'id,text,label\n')).toContain(
    'has no items with a gold label for "Spam Forest" among [spam, ham]: it has no rows to train on',
  );
  expect(await trained('blank.csv', 'id,text,label\n1,hello,\n2,win,\n')).toContain(
    'none of its 2 rows has a gold label (looked in column "label"); label them, or set label_column',
  );
});
