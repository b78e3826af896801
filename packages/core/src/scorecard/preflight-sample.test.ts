import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DatasetSample, sampleDataset } from './preflight-sample.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-preflight-sample-'));

async function sample(name: string, content: string, gold: [string, string[]][]) {
  const path = join(folder, name);
  writeFileSync(path, content);
  const result = await sampleDataset({ path, goldColumns: new Map(gold) });
  if (typeof result === 'string') throw new Error(result);
  return result;
}

const counts = (result: DatasetSample) =>
  [...result.gold].map(([score, found]) => [score, Object.fromEntries(found)]);

describe('sampleDataset', () => {
  it('stops after the first row of a CSV without a gold column, saying more rows exist', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => `m${index},text ${index}`);
    const result = await sample('plain.csv', `id,text\n${rows.join('\n')}\n`, [
      ['Spam', ['Spam', 'label']],
    ]);
    expect(result).toMatchObject({ columns: ['id', 'text'], rows: 1, truncated: true });
    expect(counts(result)).toEqual([['Spam', {}]]);
  });

  it('a one-row CSV without a gold column is read whole', async () => {
    const result = await sample('one.csv', 'id,text\nm0,hello\n', [['Spam', ['label']]]);
    expect(result).toMatchObject({ rows: 1, truncated: false });
  });

  it('counts gold labels over every sampled row when a gold column exists', async () => {
    const rows = Array.from(
      { length: 30 },
      (_, index) => `m${index},t,${index % 3 ? 'no' : 'yes'}`,
    );
    const result = await sample('gold.csv', `id,text,label\n${rows.join('\n')}\n`, [
      ['Spam', ['Spam', 'label']],
    ]);
    expect(result).toMatchObject({ rows: 30, truncated: false });
    expect(counts(result)).toEqual([['Spam', { yes: 10, no: 20 }]]);
  });

  it('reads every JSONL row: a later row may add a column', async () => {
    const lines = ['{"id":"a","text":"x"}', '{"id":"b","text":"y","label":"yes"}'];
    const result = await sample('rows.jsonl', `${lines.join('\n')}\n`, [['Spam', ['label']]]);
    expect(result).toMatchObject({ columns: ['id', 'text', 'label'], rows: 2, truncated: false });
    expect(counts(result)).toEqual([['Spam', { yes: 1 }]]);
  });
});
