import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-feedback-no-overlap-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const data = write(
  'data.csv',
  'id,text,label\nm1,free prize,spam\nm2,hi mum,ham\nm3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Overlap\ndata: { path: ${data} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

const modelLine =
  '  model               n/a: no reviewed item has an answer of this score in the run';

// `feedback agreement --run` printed nothing about the model when no reviewed item was in the run
// (other ids: reviews of another dataset, ids written differently): absent without a word.
describe('plexus feedback agreement --run', () => {
  it('says why the model is not compared when the run answered none of the reviewed items', async () => {
    const run = join(project, 'run');
    expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
    const db = join(project, 'feedback.sqlite');
    const reviews = write(
      'reviews.csv',
      'item_id,score,label,reviewer,reviewed_at\nM1,Spam,spam,ana,2026-01-01\nM2,Spam,ham,ana,2026-01-01\n',
    );
    expect((await runMain(['feedback', 'import', reviews, '--feedback-db', db])).code).toBe(0);
    const table = await runMain(['feedback', 'agreement', '--feedback-db', db, '--run', run]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(modelLine);
    // The report says it too, where it showed a bare dash.
    expect((await runMain(['report', run])).code).toBe(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toMatch(
      /model vs reviewers’ majority<\/td><td colspan="4">— <span class="note">no reviewed item with a majority label has an answer of this score in this run/,
    );
    // Without --run nothing is said of the model.
    const alone = await runMain(['feedback', 'agreement', '--feedback-db', db]);
    expect(alone.stdout).not.toContain('model');

    // Reviews of the run's own items: the comparison, and no such line.
    const matching = write(
      'matching.csv',
      'item_id,score,label,reviewer,reviewed_at\nm1,Spam,spam,bo,2026-01-02\nm2,Spam,ham,bo,2026-01-02\n',
    );
    const otherDb = join(project, 'other.sqlite');
    await runMain(['feedback', 'import', matching, '--feedback-db', otherDb]);
    const compared = await runMain([
      'feedback',
      'agreement',
      '--feedback-db',
      otherDb,
      '--run',
      run,
    ]);
    expect(compared.stdout).toContain('  model vs majority   n 2  accuracy 1.000');
    expect(compared.stdout).not.toContain(modelLine);
  });
});
