import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-review-cell-labels-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// The rule answers yes on "refund". Gold written as people write it: `Yes `, `YES`, `no.`, `n/a`.
const data = write(
  'data.csv',
  'id,text,label\nc1,refund please,Yes \nc2,a refund,YES\nc3,hello,Yes\nc4,refund,no.\nc5,hi,n/a\nc6,bye,no\n',
);
const card = (normalize: string) =>
  write(
    `card${normalize ? '-strict' : ''}.yaml`,
    `name: Cells\ndata: { path: ${data} }\nscores:\n  - { name: Refund, class: heuristic/keywords, phrases: [refund], labels: [yes, no, na], label_column: label${normalize} }\n`,
  );

/** The item ids the queue of one confusion cell lists. */
async function queued(run: string, cell: string, out: string): Promise<string[]> {
  const args = ['review', 'queue', '--run', run, '--by', 'cell', '--cell', cell];
  const queue = await runMain([...args, '--score', 'Refund', '--out', join(project, out)]);
  expect(queue.code).toBe(0);
  const rows = readFileSync(join(project, out), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => row.split(',')[0]!);
}

// `review queue --by cell` matched the labels as written: the report's cell yes → yes (2 items)
// gave 0, na → no (1) gave 0, no → yes (1) gave 0.
describe('plexus review queue --by cell', () => {
  it("lists the items of the metrics' confusion cell (labels compared as the score does)", async () => {
    const run = join(project, 'run');
    expect((await runMain(['evaluate', card(''), '--out', run, '--quiet'])).code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')).scores.Refund;
    const { labels, matrix } = metrics.confusion_matrix;
    const count = (gold: string, predicted: string) =>
      matrix[labels.indexOf(gold)][labels.indexOf(predicted)];
    // By hand: yes→yes c1, c2; yes→no c3; no→yes c4; na→no c5; no→no c6.
    expect(await queued(run, 'yes,yes', 'q1.csv')).toEqual(['c1', 'c2']);
    expect(count('yes', 'yes')).toBe(2);
    expect(await queued(run, 'na,no', 'q2.csv')).toEqual(['c5']);
    expect(count('na', 'no')).toBe(1);
    expect(await queued(run, 'no,yes', 'q3.csv')).toEqual(['c4']);
    expect(count('no', 'yes')).toBe(1);
    // A cell named as the user reads it in the data (`YES`) is the same cell.
    expect(await queued(run, 'YES,yes', 'q4.csv')).toEqual(['c1', 'c2']);
  });

  it('keeps labels apart that the score keeps apart (normalize_labels: { case: false })', async () => {
    const run = join(project, 'strict');
    const strict = card(', normalize_labels: { case: false }');
    expect((await runMain(['evaluate', strict, '--out', run, '--quiet'])).code).toBe(0);
    // `Yes ` is `Yes` (trimmed), not `yes`: only c2 (`YES`) is not in the cell either.
    expect(await queued(run, 'Yes,yes', 'q5.csv')).toEqual(['c1']);
  });
});
