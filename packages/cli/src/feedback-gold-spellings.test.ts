import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-feedback-gold-spellings-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// The rule answers yes on "refund" (k1, k3), no otherwise (k2). Three reviewers of k1 wrote
// `yes`, `Yes ` and `no`; of k2 `No.`, `no` and `yes`; k3 has one review.
const data = write('data.csv', 'id,text\nk1,refund please\nk2,hello\nk3,a refund\n');
const reviews = write(
  'reviews.csv',
  [
    'item_id,score,label,reviewer,reviewed_at',
    'k1,Refund,yes,ana,2026-01-01',
    'k1,Refund,Yes ,bo,2026-01-01',
    'k1,Refund,no,cy,2026-01-01',
    'k2,Refund,No.,ana,2026-01-01',
    'k2,Refund,no,bo,2026-01-01',
    'k2,Refund,yes,cy,2026-01-01',
    'k3,Refund,yes,ana,2026-01-01',
  ].join('\n'),
);
const db = join(project, 'feedback.sqlite');

function card(normalize: string): string {
  return write(
    `card${normalize ? '-strict' : ''}.yaml`,
    `name: Spellings\ndata: { path: ${data} }\nscores:\n  - { name: Refund, class: heuristic/keywords, phrases: [refund], labels: [yes, no]${normalize} }\n`,
  );
}

async function judged(scorecard: string, out: string, rule: string) {
  const args = ['evaluate', scorecard, '--out', join(project, out), '--gold', 'feedback'];
  const run = await runMain([...args, '--gold-rule', rule, '--feedback-db', db, '--quiet']);
  expect(run.code).toBe(0);
  const metrics = JSON.parse(readFileSync(join(project, out, 'metrics.json'), 'utf8'));
  return { metrics: metrics.scores.Refund, stderr: run.stderr };
}

// The majority was counted over the labels as typed: `yes`, `Yes ` and `no` were a three-way tie
// (no gold), though the score (and `feedback agreement`) reads `Yes ` as `yes`: 2 of 3 votes.
describe('plexus evaluate --gold feedback', () => {
  it("counts the reviewers' votes with labels compared as the score compares them", async () => {
    expect((await runMain(['feedback', 'import', reviews, '--feedback-db', db])).code).toBe(0);
    const majority = await judged(card(''), 'majority', 'majority');
    // By hand: k1 yes (2 of 3), k2 no (2 of 3), k3 yes (1 of 1); the rule answers yes, no, yes.
    expect(majority.stderr).not.toContain('tied reviews');
    expect(majority.metrics.n).toBe(3);
    expect(majority.metrics.n_unlabeled).toBe(0);
    expect(majority.metrics.accuracy).toBe(1);
    // Reviews at the same time under `latest` are a majority vote too: the same gold.
    const latest = await judged(card(''), 'latest', 'latest');
    expect(latest.metrics.n).toBe(3);
    expect(latest.metrics.accuracy).toBe(1);
  });

  it('keeps labels apart that the score keeps apart (normalize_labels: { case: false })', async () => {
    const strict = await judged(card(', normalize_labels: { case: false }'), 'strict', 'majority');
    // k1: `yes`, `Yes ` (trimmed: `Yes`) and `no` are three labels: a tie, no gold. k2: `No.`
    // (trailing . dropped: `No`), `no`, `yes`: a tie too. k3: yes.
    expect(strict.stderr).toContain('gold: 2 items of Refund with tied reviews, no gold');
    expect(strict.metrics.n).toBe(1);
    expect(strict.metrics.n_unlabeled).toBe(2);
  });
});
