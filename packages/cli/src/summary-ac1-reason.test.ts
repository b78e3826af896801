import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// `evaluate --limit 20` on a file sorted by label: a lost-card rule saw only "no" queries and said
// "no" to each. Its AC1 is undefined (one label only) and the table showed "—" with no reason.
const project = mkdtempSync(join(tmpdir(), 'plexus-summary-ac1-'));
writeFileSync(
  join(project, 'data.csv'),
  'id,text,lost\n1,when will my card arrive,no\n2,how do I top up,no\n3,change my pin,no\n',
);
writeFileSync(
  join(project, 'card.yaml'),
  [
    'name: Triage',
    'data: { path: data.csv }',
    'scores:',
    '  - { name: Lost Card, class: heuristic/keywords, labels: [yes, no], label_column: lost, phrases: [stolen] }',
    '  - { name: Card Word, class: heuristic/keywords, labels: [yes, no], label_column: lost, phrases: [card] }',
    '',
  ].join('\n'),
);

describe('the summary table says why an AC1 is absent', () => {
  it('gives the reason under the table for the score whose answers and gold are one label', async () => {
    const run = await runMain([
      'evaluate',
      join(project, 'card.yaml'),
      '--out',
      join(project, 'run'),
      '--no-cache',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n');
    expect(rows.find((row) => row.startsWith('Lost Card'))).toMatch(/1\.000\s+1\.000\s+—\s/);
    expect(run.stdout).toContain('AC1 of Lost Card —: one label only');
    // Card Word said "yes" once: two labels occur, its AC1 is a number and needs no note.
    expect(run.stdout).not.toContain('AC1 of Card Word');
  });
});
