import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-review-empty-cell-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// `review queue --by cell --cell yes,nope` (a typo) wrote an empty queue saying "0 of 6 items",
// as for a cell that is empty: a 0 that did not tell none from a label the score never gave.
it('says why a confusion cell has no item: a label none of the run has, or an empty cell', async () => {
  const data = write(
    'data.csv',
    'id,text,label\nc1,refund please,yes\nc2,a refund,yes\nc3,hello,yes\nc4,nothing,no\nc5,hi,no\nc6,bye,no\n',
  );
  const card = write(
    'card.yaml',
    `name: Cells\ndata: { path: ${data} }\nscores:\n  - { name: Refund, class: heuristic/keywords, phrases: [refund], labels: [yes, no], label_column: label }\n`,
  );
  const run = join(project, 'run');
  expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
  const queue = (cell: string, out: string) =>
    runMain([
      'review',
      'queue',
      '--run',
      run,
      '--by',
      'cell',
      '--cell',
      cell,
      '--score',
      'Refund',
      '--out',
      join(project, out),
    ]);
  const typo = await queue('yes,nope', 'q1.csv');
  expect(typo.code).toBe(0);
  expect(typo.stdout).toContain('0 of 6 items to review in');
  expect(typo.stdout).toContain(
    '(no item of Refund has gold "yes" and answer "nope": "nope" is none of its labels in this run: no, yes)',
  );
  // By hand: yes→yes c1, c2; yes→no c3; no→no c4, c5, c6; no→yes empty (no "refund" is gold no).
  const empty = await queue('no,yes', 'q2.csv');
  expect(empty.stdout).toContain('0 of 6 items');
  expect(empty.stdout).toContain(
    '(no item of Refund has gold "no" and answer "yes" in this run: the confusion cell is empty)',
  );
  const filled = await queue('YES,no', 'q3.csv');
  expect(filled.stdout).toContain('1 of 6 items');
  expect(filled.stdout).not.toContain('no item of Refund');
});
