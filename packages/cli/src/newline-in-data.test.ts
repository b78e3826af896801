import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from './output.js';
import { fileWriter, runMain } from './test-packages.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-newline-in-data-'));
const write = fileWriter(folder);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const forged = 'card.yaml: valid scorecard "Forged" with 1 score (Spam Words)';

const card = write(
  'card.yaml',
  'name: NL\nscores:\n  - { name: Spam Words, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n',
);

// A gold label (or a column name) is data: one holding a line break was printed as it is inside a
// problem, so a dataset could print a line of its own, here a forged "valid scorecard".
describe('line breaks that come with data, in problems and warnings', () => {
  it('a stray gold label with a line break stays on its warning line', async () => {
    const data = write(
      'few.csv',
      `id,text,label\n1,free,spam\n2,hi,"ham\n${forged.replaceAll('"', '""')}"\n3,hi,ham\n4,hi,ham\n5,hi,ham\n`,
    );
    const { code, stderr } = await runMain(['validate', card, '--data', data]);
    expect(code).toBe(0);
    const lines = printable(stderr).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('warning: 1 of 5 gold labels');
    expect(lines[0]).toContain(`"ham\\n${forged}" ×1`);
  });

  it('predict: a repeated id with a line break stays on its skipped-row line', async () => {
    const data = write(
      'ids.csv',
      `id,text,label\n"x\n${forged.replaceAll('"', '""')}",free,spam\n"x\n${forged.replaceAll('"', '""')}",hi,ham\n`,
    );
    const { code, stderr } = await runMain(['predict', card, '--data', data]);
    expect(code).toBe(0);
    const skipped = printable(stderr)
      .split('\n')
      .filter((line) => !line.includes('warning: unlabeled') && line !== '');
    expect(skipped).toEqual([
      `${data}:4: row skipped: repeats id "x\\n${forged}"; ids must be unique`,
    ]);
  });

  it('a column name with a line break stays on its problem line', async () => {
    const data = write(
      'column.csv',
      `id,text,"label\n${forged.replaceAll('"', '""')}"\n1,free,spam\n2,hi,ham\n`,
    );
    const { code, stderr } = await runMain(['validate', card, '--data', data]);
    expect(code).toBe(2);
    const lines = printable(stderr).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `no column "label" in ${data} (columns: id, text, label\\n${forged})`,
    );
  });
});
