// Gold labels that are not text: a JSON or Parquet list or object is a reported row (never an item
// silently without gold), numbers and booleans read as a CSV cell with the same text.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { type DatasetItem, type DatasetProblem, goldColumns, readDataset } from './dataset.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-gold-values-'));

async function read(path: string, scores: { name: string; labelColumn?: string }[]) {
  const problems: DatasetProblem[] = [];
  const items: DatasetItem[] = [];
  for await (const item of readDataset({
    path,
    gold: goldColumns(scores),
    onProblem: (problem) => problems.push(problem),
  }))
    items.push(item);
  return { items, problems, labels: items.map((item) => [item.id, item.labels.Spam ?? null]) };
}

describe('gold labels that are not text', () => {
  it('reports a JSONL list or object label as a row naming the line, the column and the fix', async () => {
    const path = join(folder, 'lists.jsonl');
    const rows = [
      { id: 'a', text: 'win money', label: ['spam'] },
      { id: 'b', text: 'lunch?', label: 'ham' },
      { id: 'c', text: 'prize', label: { x: 1 } },
      { id: 'd', text: 'both', label: ['spam', 'ham'] },
      { id: 'e', text: 'none', label: [] },
    ];
    writeFileSync(path, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const { items, problems, labels } = await read(path, [{ name: 'Spam' }]);
    expect(labels).toEqual([['b', 'ham']]);
    expect(items).toHaveLength(1);
    expect(problems.map((problem) => problem.line)).toEqual([1, 3, 4, 5]);
    expect(problems[0]!.message).toBe(
      'has a list, not a label, in gold column "label" (["spam"]): a gold label is one value; write the label as text ("label": "spam")',
    );
    expect(problems[1]!.message).toBe(
      'has an object, not a label, in gold column "label" ({"x":1}): a gold label is one value; write the label as text ("label": "...")',
    );
    expect(problems[2]!.message).toContain('(["spam","ham"])');
    expect(problems[3]!.message).toContain('has a list, not a label, in gold column "label" ([])');
  });

  it('names the label_column of the score whose label it is', async () => {
    const path = join(folder, 'named.jsonl');
    writeFileSync(path, '{"id":"a","text":"x","gold_spam":{"spam":true}}\n');
    const { problems } = await read(path, [
      { name: 'Spam', labelColumn: 'gold_spam' },
      { name: 'Other' },
    ]);
    expect(problems).toEqual([
      { line: 1, message: expect.stringContaining('in gold column "gold_spam" ({"spam":true})') },
    ]);
  });

  it('reads JSON numbers and booleans as a CSV cell with the same text: 1 and 1 are one label', async () => {
    const jsonl = join(folder, 'values.jsonl');
    const csv = join(folder, 'values.csv');
    // As written in each file: a JSON 1.0 is the number 1 once read (its text is gone), 1e3 is 1000.
    const values = ['1', '1.0', '1e3', 'true', '0', '-2.5', 'null', '""'];
    writeFileSync(
      jsonl,
      values.map((value, index) => `{"id":"r${index}","text":"t","label":${value}}`).join('\n'),
    );
    const cells = values.map((value) => (value === 'null' ? '' : value.replaceAll('"', '')));
    writeFileSync(
      csv,
      `id,text,label\n${cells.map((cell, index) => `r${index},t,${cell}`).join('\n')}\n`,
    );
    const fromJson = await read(jsonl, [{ name: 'Spam' }]);
    const fromCsv = await read(csv, [{ name: 'Spam' }]);
    expect([fromJson.problems, fromCsv.problems]).toEqual([[], []]);
    expect(fromJson.labels).toEqual([
      ['r0', '1'],
      ['r1', '1'],
      ['r2', '1000'],
      ['r3', 'true'],
      ['r4', '0'],
      ['r5', '-2.5'],
      ['r6', null],
      ['r7', null],
    ]);
    // CSV cells are text as written: "1.0" and "1e3" stay so (preflight warns when they are not
    // among the score's labels).
    expect(fromCsv.labels).toEqual([
      ['r0', '1'],
      ['r1', '1.0'],
      ['r2', '1e3'],
      ['r3', 'true'],
      ['r4', '0'],
      ['r5', '-2.5'],
      ['r6', null],
      ['r7', null],
    ]);
  });

  it('reads a Parquet NaN as no label (a missing value), not the label "NaN", and reports a JSON list', async () => {
    const path = join(folder, 'labels.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'id', data: ['p1', 'p2', 'p3', 'p4'], type: 'STRING' },
        { name: 'text', data: ['a', 'b', 'c', 'd'], type: 'STRING' },
        { name: 'Spam', data: [1, Number.NaN, null, 0.5], type: 'DOUBLE' },
        { name: 'Tags', data: ['x', ['y'], 'z', 'w'], type: 'JSON' },
      ],
    });
    const { labels, problems, items } = await read(path, [{ name: 'Spam' }, { name: 'Tags' }]);
    expect(problems).toEqual([
      {
        line: 2,
        message: expect.stringContaining('has a list, not a label, in gold column "Tags" (["y"])'),
      },
    ]);
    expect(labels).toEqual([
      ['p1', '1'],
      ['p3', null],
      ['p4', '0.5'],
    ]);
    expect(items.map((item) => item.labels.Tags ?? null)).toEqual(['x', 'z', 'w']);
  });
});
