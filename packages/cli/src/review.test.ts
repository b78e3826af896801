import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-review-cli-'));
const write = fileWriter(project);

const plexus = runMain;

const calls = write(
  'calls.csv',
  'id,text,greeting\nc1,thank you for calling,yes\nc2,"thank you, bye",yes\nc3,hello,no\n',
);
// Two rules on the same question: they disagree on c2, where Greeting also misses the gold "yes".
const card = write(
  'card.yaml',
  `name: Review card\ndata: { path: ${calls} }\nscores:\n  - { name: Greeting, class: heuristic/keywords, phrases: [thank you for calling], labels: [yes, no], label_column: greeting }\n  - { name: Thanks, class: heuristic/keywords, phrases: [thank you], labels: [yes, no], label_column: greeting }\n`,
);

describe('plexus review queue', () => {
  it('writes the items to review, which import back once labelled (the loop closed)', async () => {
    const run = join(project, 'run');
    expect((await plexus(['evaluate', card, '--out', run, '--no-cache', '--quiet'])).code).toBe(0);
    const out = join(project, 'queue.csv');
    const queued = await plexus([
      'review',
      'queue',
      '--run',
      run,
      '--n',
      '1',
      '--by',
      'disagreement',
      '--out',
      out,
    ]);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toBe(
      `1 of 3 items to review in ${out}; fill label (and reviewer), then: plexus feedback import ${out} --reviewer NAME\n`,
    );
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      'item_id,score,label,reviewer,reviewed_at,comment,model_answer,priority,answer: Greeting,answer: Thanks,text',
      'c2,Greeting,,,,,no,0.5,no,yes,"thank you, bye"',
      'c2,Thanks,,,,,yes,0.5,no,yes,"thank you, bye"',
    ]);
    // One confusion cell of one score.
    const cellOut = join(project, 'cell.csv');
    await plexus([
      'review',
      'queue',
      '--run',
      run,
      '--by',
      'cell',
      '--cell',
      'yes,no',
      '--score',
      'Greeting',
      '--out',
      cellOut,
    ]);
    expect(readFileSync(cellOut, 'utf8').trim().split('\n').slice(1)).toEqual([
      'c2,Greeting,,,,,no,0,no,yes,"thank you, bye"',
    ]);
    // The reviewer fills the Greeting row only; the Thanks row stays unlabelled.
    writeFileSync(out, readFileSync(out, 'utf8').replace('c2,Greeting,,', 'c2,Greeting,yes,'));
    const db = join(project, 'feedback.sqlite');
    const imported = await plexus([
      'feedback',
      'import',
      out,
      '--reviewer',
      'ana',
      '--feedback-db',
      db,
    ]);
    expect(imported.stdout).toBe(
      `1 reviews: 1 added, 0 already there, 0 changed (${db})\n1 rows without a label skipped (not reviewed yet)\n`,
    );
    const again = await plexus([
      'feedback',
      'import',
      out,
      '--reviewer',
      'ana',
      '--feedback-db',
      db,
    ]);
    expect(again.stdout).toMatch(/^1 reviews: 0 added, 1 already there/);
    const exported = await plexus(['feedback', 'export', '--feedback-db', db, '--format', 'jsonl']);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      item_id: 'c2',
      score: 'Greeting',
      label: 'yes',
      reviewer: 'ana',
    });
  });

  it('names a wrong order or cell', async () => {
    const run = join(project, 'run');
    const wrong = await plexus([
      'review',
      'queue',
      '--run',
      run,
      '--by',
      'random',
      '--out',
      join(project, 'x.csv'),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      '--by: expected uncertainty, disagreement or cell, got "random"',
    );
    const badCell = await plexus([
      'review',
      'queue',
      '--run',
      run,
      '--by',
      'cell',
      '--cell',
      'yes',
      '--score',
      'Greeting',
      '--out',
      join(project, 'x.csv'),
    ]);
    expect(badCell.stderr).toContain('--cell: expected GOLD,PREDICTED');
    const noRun = await plexus([
      'review',
      'queue',
      '--run',
      project,
      '--out',
      join(project, 'x.csv'),
    ]);
    expect(noRun.stderr).toContain('no results.jsonl');
  });
});
