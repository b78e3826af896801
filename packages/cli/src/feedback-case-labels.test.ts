import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-feedback-case-labels-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// A score that compares labels case-sensitively (`normalize_labels: { case: false }`) answers
// `Yes` on "refund" texts. Reviewers wrote `yes` for k1 and k2, `Yes` for k3, `no` for k4.
const data = write('data.csv', 'id,text\nk1,refund please\nk2,a refund\nk3,refund now\nk4,hello\n');
const card = write(
  'card.yaml',
  `name: Cased\ndata: { path: ${data} }\nscores:\n  - { name: Refund, class: heuristic/keywords, phrases: [refund], labels: [Yes, no], normalize_labels: { case: false } }\n`,
);
const reviews = write(
  'reviews.csv',
  'item_id,score,label,reviewer,reviewed_at\nk1,Refund,yes,ana,2026-01-01\nk2,Refund,yes,ana,2026-01-01\nk3,Refund,Yes,ana,2026-01-01\nk4,Refund,no,ana,2026-01-01\n',
);
const db = join(project, 'feedback.sqlite');

// `feedback agreement --run` compared the model with the reviewers in the default way (case
// folded): 4 of 4 agreed, where the run itself, judged on the same reviews, is right on 2 of 4.
describe('plexus feedback agreement --run', () => {
  it("compares labels as the run's score does (its normalize_labels)", async () => {
    expect((await runMain(['feedback', 'import', reviews, '--feedback-db', db])).code).toBe(0);
    const run = join(project, 'run');
    expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
    const agreement = await runMain([
      'feedback',
      'agreement',
      '--feedback-db',
      db,
      '--run',
      run,
      '--json',
    ]);
    expect(agreement.code).toBe(0);
    const score = JSON.parse(agreement.stdout).scores.Refund;
    // By hand: Yes≠yes (k1), Yes≠yes (k2), Yes=Yes (k3), no=no (k4): 2 of 4.
    expect(score.model_vs_majority.accuracy).toBe(0.5);
    expect(score.by_month['2026-01'].model_accuracy).toBe(0.5);
    // The same reviews as the run's gold: the run's own accuracy agrees.
    const judged = join(project, 'judged');
    const evaluated = await runMain([
      'evaluate',
      card,
      '--out',
      judged,
      '--gold',
      'feedback',
      '--feedback-db',
      db,
      '--quiet',
    ]);
    expect(evaluated.code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(judged, 'metrics.json'), 'utf8'));
    expect(metrics.scores.Refund.accuracy).toBe(0.5);
  });
});
