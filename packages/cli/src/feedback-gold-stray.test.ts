// `--gold feedback` with a review typed `yse` counted that item as a wrong answer, and reviews
// imported under a misspelled score name (`Refnud`) were left out, both without a word.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-feedback-gold-stray-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// The rule answers yes on "refund" (k1, k3), no otherwise (k2, k4).
const data = write('data.csv', 'id,text\nk1,refund please\nk2,hello\nk3,a refund\nk4,thanks\n');
const reviews = write(
  'reviews.csv',
  [
    'item_id,score,label,reviewer,reviewed_at',
    'k1,Refund,yes,ana,2026-01-01',
    'k2,Refund,no,ana,2026-01-01',
    'k3,Refund,yse,ana,2026-01-01',
    'k4,Refnud,no,ana,2026-01-01',
    'k4,Refnud,no,bo,2026-01-01',
  ].join('\n'),
);
const db = join(project, 'feedback.sqlite');
const card = write(
  'card.yaml',
  `name: Stray\ndata: { path: ${data} }\nscores:\n  - { name: Refund, class: heuristic/keywords, phrases: [refund], labels: [yes, no] }\n`,
);

it('says which reviewed labels are no label of the score, and reviews of a near score name', async () => {
  expect((await runMain(['feedback', 'import', reviews, '--feedback-db', db])).code).toBe(0);
  const out = join(project, 'run');
  const run = await runMain([
    'evaluate',
    card,
    '--out',
    out,
    '--gold',
    'feedback',
    '--feedback-db',
    db,
    '--quiet',
  ]);
  expect(run.code).toBe(0);
  expect(run.stderr).toContain(
    'gold: 1 of 3 items of Refund have a reviewed label that is not among its labels (yes, no): "yse" ×1; did you mean "yes"?; they count as wrong answers',
  );
  expect(run.stderr).toContain(
    'gold: 2 reviews are of "Refnud", which no score of the scorecard is named; did you mean "Refund"?',
  );
  // By hand: k1 yes = yes, k2 no = no, k3 yes vs "yse" wrong; k4 has no gold: 2 of 3.
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).scores.Refund;
  expect(metrics.n).toBe(3);
  expect(metrics.accuracy).toBeCloseTo(2 / 3, 12);
});

it("refuses reviews whose labels are mostly none of the score's (exit 2), as the dataset's gold", async () => {
  const db2 = join(project, 'other-labels.sqlite');
  const other = write(
    'other-labels.csv',
    [
      'item_id,score,label,reviewer,reviewed_at',
      'k1,Refund,refund,ana,2026-01-01',
      'k2,Refund,none,ana,2026-01-01',
      'k3,Refund,refund,ana,2026-01-01',
    ].join('\n'),
  );
  expect((await runMain(['feedback', 'import', other, '--feedback-db', db2])).code).toBe(0);
  const run = await runMain([
    'evaluate',
    card,
    '--out',
    join(project, 'refused'),
    '--gold',
    'feedback',
    '--feedback-db',
    db2,
  ]);
  // By hand: 3 of 3 reviewed labels are neither yes nor no.
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    '3 of 3 items of Refund have a reviewed label that is not among its labels',
  );
  expect(run.stderr).toContain("set the score's labels: to the reviewers' labels");
});

it('takes reviews under the score name written in another Unicode form as that score', async () => {
  // `Café` decomposed (e and a combining accent), as a tool on a Mac may write it: it was told
  // 'did you mean "Café"?' about a name looking the same, and the reviews went unused.
  const composed = 'Café';
  const decomposed = composed.normalize('NFD');
  const db3 = join(project, 'forms.sqlite');
  const forms = write(
    'forms.csv',
    [
      'item_id,score,label,reviewer,reviewed_at',
      `k1,${decomposed},yes,ana,2026-01-01`,
      `k2,${decomposed},yes,ana,2026-01-01`,
    ].join('\n'),
  );
  const cafe = write(
    'cafe.yaml',
    `name: Forms\ndata: { path: ${data} }\nscores:\n  - { name: ${composed}, class: heuristic/keywords, phrases: [refund], labels: [yes, no], gold: feedback }\n`,
  );
  expect((await runMain(['feedback', 'import', forms, '--feedback-db', db3])).code).toBe(0);
  const out = join(project, 'forms-run');
  const run = await runMain(['evaluate', cafe, '--out', out, '--feedback-db', db3, '--quiet']);
  expect(run.code).toBe(0);
  expect(run.stderr).not.toContain('did you mean');
  expect(run.stderr).toContain('of the scorecard\'s score "Café", written in another Unicode form');
  // By hand: k1 yes = yes, k2 no vs yes wrong: 1 of 2.
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).scores[composed];
  expect(metrics.n).toBe(2);
  expect(metrics.accuracy).toBeCloseTo(1 / 2, 12);
});
