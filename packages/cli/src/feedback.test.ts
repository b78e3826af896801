import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-feedback-cli-'));
const write = fileWriter(project);
const db = join(project, 'feedback.sqlite');

const plexus = runMain;

// Four calls; Greeting says yes when the agent thanks the caller.
const calls = write(
  'calls.csv',
  'id,text\nc1,thank you for calling\nc2,hello\nc3,thank you for calling acme\nc4,bye\n',
);
const card = write(
  'card.yaml',
  `name: Feedback card\ndata: { path: ${calls} }\nscores:\n  - { name: Greeting, class: heuristic/keywords, phrases: [thank you for calling], labels: [yes, no] }\n`,
);
// Three reviewers; c3 split 1-1 (a tie), c4 reviewed once.
const reviews = write(
  'reviews.csv',
  [
    'item_id,score,label,reviewer,reviewed_at,comment',
    'c1,Greeting,yes,ana,2026-03-01,',
    'c1,Greeting,yes,ben,2026-03-02,',
    'c2,Greeting,no,ana,2026-03-01,',
    'c2,Greeting,yes,ben,2026-04-02,"said ""hi"", counts"',
    'c2,Greeting,no,cy,2026-04-03,',
    'c3,Greeting,yes,ana,2026-04-01,',
    'c3,Greeting,no,ben,2026-04-01,',
    'c4,Greeting,no,cy,2026-04-05,',
  ].join('\n'),
);

describe('plexus feedback', () => {
  it('imports, re-imports (nothing changes), exports the same rows, and rejects a bad file whole', async () => {
    const first = await plexus(['feedback', 'import', reviews, '--feedback-db', db]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`8 reviews: 8 added, 0 already there, 0 changed (${db})\n`);
    const again = await plexus(['feedback', 'import', reviews, '--feedback-db', db]);
    expect(again.stdout).toBe(`8 reviews: 0 added, 8 already there, 0 changed (${db})\n`);
    const exported = await plexus(['feedback', 'export', '--feedback-db', db]);
    const lines = exported.stdout.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines).toContain('c2,Greeting,yes,ben,2026-04-02T00:00:00.000Z,"said ""hi"", counts"');
    // The exported file imports as the same reviews.
    const out = join(project, 'exported.csv');
    await plexus(['feedback', 'export', '--feedback-db', db, '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe(exported.stdout);
    expect((await plexus(['feedback', 'import', out, '--feedback-db', db])).stdout).toMatch(
      /^8 reviews: 0 added, 8 already there/,
    );
    const bad = write(
      'bad.csv',
      'item_id,score,label,reviewer,reviewed_at\nc9,Greeting,yes,ana,2026-05-01\nc9,Greeting,yes,,soon\n',
    );
    const rejected = await plexus(['feedback', 'import', bad, '--feedback-db', db]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`${bad}:3: reviewer: reviewer is empty`);
    expect(rejected.stderr).toContain(`${bad}:3: reviewed_at: "soon" is not a date`);
    expect((await plexus(['feedback', 'export', '--feedback-db', db])).stdout).not.toContain('c9');
  });

  it('agreement: JSON in the documented shape, with the model from a run', async () => {
    await plexus(['feedback', 'import', reviews, '--feedback-db', db]);
    const runDir = join(project, 'run');
    const evaluated = await plexus(['evaluate', card, '--out', runDir, '--no-cache']);
    expect(evaluated.code).toBe(0);
    const result = await plexus([
      'feedback',
      'agreement',
      '--feedback-db',
      db,
      '--run',
      runDir,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const greeting = JSON.parse(result.stdout).scores.Greeting;
    // Saved in the run folder for the report and the MLflow sync.
    expect(result.stderr).toContain(
      `agreement saved in ${join(runDir, 'feedback-agreement.json')}`,
    );
    const saved = JSON.parse(readFileSync(join(runDir, 'feedback-agreement.json'), 'utf8'));
    expect(saved.scores.Greeting).toEqual(greeting);
    expect(Date.parse(saved.computed_at)).not.toBeNaN();
    expect((await plexus(['report', runDir])).code).toBe(0);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('<h3>Reviewers');
    expect(greeting).toMatchObject({ items: 4, reviewers: 3, reviews: 8, majority_ties: 1 });
    // Majorities: c1 yes, c2 no (ana, cy vs ben), c4 no; the model says yes, no, no: all right.
    expect(greeting.model_vs_majority).toMatchObject({ n: 3, accuracy: 1 });
    expect(Object.keys(greeting.by_reviewer)).toEqual(['ana', 'ben', 'cy']);
    expect(Object.keys(greeting.by_month)).toEqual(['2026-03', '2026-04']);
    expect(typeof greeting.krippendorff_alpha).toBe('number');
    const table = await plexus(['feedback', 'agreement', '--feedback-db', db, '--run', runDir]);
    expect(table.stdout).toContain('Greeting: 4 items, 3 reviewers, 8 reviews');
    expect(table.stdout).toContain('model vs majority   n 3  accuracy 1.000');
  });

  it('evaluate --gold feedback: gold from the latest review or the majority, ties reported', async () => {
    await plexus(['feedback', 'import', reviews, '--feedback-db', db]);
    const labelsOf = (dir: string) =>
      readFileSync(join(dir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .map((line) => [line.item_id, line.label]);
    const majorityRun = join(project, 'majority');
    const majority = await plexus([
      'evaluate',
      card,
      '--out',
      majorityRun,
      '--no-cache',
      '--quiet',
      '--gold',
      'feedback',
      '--gold-rule',
      'majority',
      '--feedback-db',
      db,
    ]);
    expect(majority.code).toBe(0);
    expect(majority.stderr).toContain(
      'gold: 1 item of Greeting with tied reviews, no gold: c3 (no | yes)',
    );
    expect(labelsOf(majorityRun)).toEqual([
      ['c1', 'yes'],
      ['c2', 'no'],
      ['c3', null],
      ['c4', 'no'],
    ]);
    // latest: c2's latest review is cy's "no" (04-03); c3's two reviews at the same time disagree.
    const latestRun = join(project, 'latest');
    const latest = await plexus([
      'evaluate',
      card,
      '--out',
      latestRun,
      '--no-cache',
      '--quiet',
      '--gold',
      'feedback',
      '--feedback-db',
      db,
    ]);
    expect(latest.code).toBe(0);
    expect(labelsOf(latestRun)).toEqual([
      ['c1', 'yes'],
      ['c2', 'no'],
      ['c3', null],
      ['c4', 'no'],
    ]);
    // gold: feedback on the score does the same without the flag; a wrong rule is named.
    const perScore = write(
      'per-score.yaml',
      readFileSync(card, 'utf8').replace(
        'labels: [yes, no] }',
        'labels: [yes, no], gold: feedback }',
      ),
    );
    const perScoreRun = join(project, 'per-score');
    expect(
      (
        await plexus([
          'evaluate',
          perScore,
          '--out',
          perScoreRun,
          '--no-cache',
          '--quiet',
          '--feedback-db',
          db,
        ])
      ).code,
    ).toBe(0);
    expect(labelsOf(perScoreRun)).toEqual(labelsOf(latestRun));
    const wrong = await plexus([
      'evaluate',
      card,
      '--gold',
      'feedback',
      '--gold-rule',
      'newest',
      '--feedback-db',
      db,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--gold-rule: expected latest or majority, got "newest"');
  });
});
