import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-feedback-spelling-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const composed = 'Caf\u00e9 Spam'; // é as one character, as the scorecard has it
const decomposed = 'Cafe\u0301 Spam'; // e and a combining accent, as a Mac tool may write it

const data = write(
  'data.csv',
  'id,text,label\nm1,free prize,spam\nm2,hi mum,ham\nm3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Spelling\ndata: { path: ${data} }\nscores:\n  - { name: "${composed}", class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

// Reviews whose score name is the run's in another Unicode form were "not compared" with the
// model ("no reviewed item has an answer of this score"), under a name looking exactly the same.
describe('plexus feedback agreement --run, a score name in another Unicode form', () => {
  it('compares the reviews with the run as the same score, and says so', async () => {
    const run = join(project, 'run');
    expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
    const db = join(project, 'feedback.sqlite');
    const rows = ['m1,spam', 'm2,ham', 'm3,ham'].flatMap((row) => {
      const [item, label] = row.split(',');
      return ['ana', 'bo'].map((who) => `${item},${decomposed},${label},${who},2026-01-02`);
    });
    const reviews = write(
      'reviews.csv',
      `item_id,score,label,reviewer,reviewed_at\n${rows.join('\n')}\n`,
    );
    expect((await runMain(['feedback', 'import', reviews, '--feedback-db', db])).code).toBe(0);

    const table = await runMain(['feedback', 'agreement', '--feedback-db', db, '--run', run]);
    expect(table.code).toBe(0);
    // By hand: the rule says spam for m1 and m3 (free), ham for m2; the reviewers spam, ham, ham.
    expect(table.stdout).toContain('  model vs majority   n 3  accuracy 0.667');
    expect(table.stdout).not.toContain('no reviewed item has an answer');
    expect(table.stderr).toContain('another Unicode form');

    // --score with the scorecard's spelling finds the reviews written the other way.
    const chosen = await runMain([
      'feedback',
      'agreement',
      '--feedback-db',
      db,
      '--run',
      run,
      '--score',
      composed,
    ]);
    expect(chosen.stdout).toContain('  model vs majority   n 3  accuracy 0.667');
    const exported = await runMain([
      'feedback',
      'export',
      '--feedback-db',
      db,
      '--score',
      composed,
    ]);
    expect(exported.stdout.trim().split('\n')).toHaveLength(7); // the header and 6 reviews
  });
});
