import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// A score whose every result a depends_on condition skipped showed "0  —  —  —" in the summary
// with nothing said (the report says "no item has both an answer and a gold label").
const project = mkdtempSync(join(tmpdir(), 'plexus-summary-skipped-'));
writeFileSync(
  join(project, 'data.csv'),
  'id,text,card,lost\n1,when will my card arrive,no,no\n2,how do I top up,no,no\n3,change my pin,no,no\n',
);
writeFileSync(
  join(project, 'card.yaml'),
  [
    'name: Triage',
    'data: { path: data.csv }',
    'scores:',
    '  - { name: Card Word, class: heuristic/keywords, labels: [yes, no], label_column: card, phrases: [stolen] }',
    '  - name: Lost Card',
    '    class: heuristic/keywords',
    '    labels: [yes, no]',
    '    label_column: lost',
    '    phrases: [lost]',
    '    depends_on: { Card Word: { operator: "==", value: "yes" } }',
    '',
  ].join('\n'),
);

describe('the summary table says why a score has no accuracy', () => {
  it('names the skips when every result of the score was skipped (hand count: 3 of 3)', async () => {
    const run = await runMain([
      'evaluate',
      join(project, 'card.yaml'),
      '--out',
      join(project, 'run'),
      '--no-cache',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n');
    expect(rows.find((row) => row.startsWith('Lost Card'))).toMatch(
      /^Lost Card\s+0\s+—\s+—\s+—\s+0\s+3\s+0/,
    );
    // The note is wrapped at 80 columns.
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      'Lost Card —: no answer to measure: its 3 results were skipped (a depends_on condition unmet, an upstream score failed, or the score disabled)',
    );
    expect(run.stdout).not.toMatch(/^Card Word —/m);
  });
});
