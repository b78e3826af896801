import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../common/errors.js';
import { type DatasetItem, type DatasetProblem, goldColumns, readDataset } from './dataset.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-dataset-'));

async function read(path: string, extra: Partial<Parameters<typeof readDataset>[0]> = {}) {
  const problems: DatasetProblem[] = [];
  const items: DatasetItem[] = [];
  for await (const item of readDataset({
    path,
    onProblem: (problem) => problems.push(problem),
    ...extra,
  }))
    items.push(item);
  return { items, problems };
}

describe('readDataset', () => {
  it('reads JSON Lines split at \\n, \\r\\n and \\r, also where a chunk ends mid-line', async () => {
    const path = join(folder, 'endings.jsonl');
    // Lines of about 1 KB: the 64 KB chunks end inside lines and between a \r and its \n.
    const endings = ['\n', '\r\n', '\r', '\r\n', '\n\n'];
    let text = '';
    let line = 1;
    const expected: [string, number][] = [];
    let broken = 0;
    for (let index = 0; index < 400; index += 1) {
      const id = `m${index}`;
      if (index === 17) {
        text += '{broken';
        broken = line;
      } else {
        text += JSON.stringify({ id, text: 'x'.repeat(1000 + (index % 7)) });
        expected.push([id, line]);
      }
      const ending = endings[index % endings.length]!;
      text += ending;
      line += ending === '\n\n' ? 2 : 1;
    }
    writeFileSync(path, text);
    const { items, problems } = await read(path);
    expect(items.map((item) => [item.id, item.line])).toEqual(expected);
    expect(problems).toEqual([
      { line: broken, message: expect.stringMatching(/is not valid JSON/) },
    ]);
  });

  it('reads CSV with gold labels and metadata, reporting broken rows by line', async () => {
    const path = join(folder, 'calls.csv');
    writeFileSync(
      path,
      'id,text,Greeting,duration\nc1,"Agent: hello, this is Harper Valley Bank",yes,30\nc2,"broken "quote" here",no,10\nc3,"two\nlines",no,12\nc4,too,many,fields,here\nc5,plain,,7\nc1,duplicate,yes,1\n',
    );
    const { items, problems } = await read(path, {
      gold: goldColumns([{ name: 'Greeting' }, { name: 'Other' }]),
    });
    expect(items.map((item) => [item.id, item.line])).toEqual([
      ['c1', 2],
      ['c3', 4],
      ['c5', 7],
    ]);
    expect(items[0]).toMatchObject({
      labels: { Greeting: 'yes' },
      metadata: { Greeting: 'yes', duration: '30' },
    });
    expect(items[1]!.text).toBe('two\nlines');
    expect(items[2]!.labels).toEqual({});
    expect(problems.map((problem) => problem.line)).toEqual([3, 6, 8]);
    expect(problems[1]!.message).toMatch(/has 5 fields, the header has 4/);
    expect(problems[2]!.message).toMatch(/repeats id "c1"/);
  });

  it('uses row numbers as ids and `label` for a single score', async () => {
    const path = join(folder, 'sms.csv');
    writeFileSync(path, 'text,label\nwin a prize,spam\nsee you,ham\n');
    const { items } = await read(path, { gold: goldColumns([{ name: 'Spam' }]) });
    expect(items.map((item) => [item.id, item.labels.Spam])).toEqual([
      ['1', 'spam'],
      ['2', 'ham'],
    ]);
  });

  it('fails clearly when the text column is missing', async () => {
    const path = join(folder, 'wrong.csv');
    writeFileSync(path, 'id,body\n1,x\n');
    await expect(read(path)).rejects.toThrow(DatasetError);
    await expect(read(path)).rejects.toThrow(
      /no "text" column; columns are: id, body\. Set data.text_column/,
    );
    await expect(read(join(folder, 'missing.csv'))).rejects.toThrow(/dataset file not found/);
  });

  it('reads JSONL, reporting invalid lines', async () => {
    const path = join(folder, 'items.jsonl');
    writeFileSync(
      path,
      '{"id":"a","text":"hi","label":"yes"}\n{not json}\n\n[1]\n{"id":"b","body":"x"}\n{"id":"c","text":"ok"}\n',
    );
    const { items, problems } = await read(path, { gold: goldColumns([{ name: 'S' }]) });
    expect(items.map((item) => item.id)).toEqual(['a', 'c']);
    expect(problems.map((problem) => [problem.line, problem.message.slice(0, 20)])).toEqual([
      [2, 'is not valid JSON (E'],
      [4, 'is not a JSON object'],
      [5, 'has no text in colum'],
    ]);
  });

  it('refuses a numeric id too large to read exactly (above 2^53), not a rounded one', async () => {
    const path = join(folder, 'big-ids.jsonl');
    // Both read as 12345678901234567000: the two rows would share an id.
    writeFileSync(
      path,
      '{"id":12345678901234567890,"text":"a"}\n{"id":12345678901234567891,"text":"b"}\n{"id":9007199254740991,"text":"c"}\n{"id":"12345678901234567890","text":"d"}\n{"id":1e400,"text":"e"}\n',
    );
    const { items, problems } = await read(path, {});
    expect(items.map((item) => item.id)).toEqual(['9007199254740991', '12345678901234567890']);
    expect(problems.map((problem) => problem.line)).toEqual([1, 2, 5]);
    expect(problems[0]!.message).toBe(
      'has a number in column "id" too large to read exactly (12345678901234567000: a number above 2^53, in JSON or a Parquet DECIMAL or floating-point column, loses its last digits); write the id as text (JSON "...", a Parquet string or int64 column)',
    );
    // A Parquet double id is told the Parquet way out, not a JSON string.
    const parquet = join(folder, 'big-ids.parquet');
    parquetWriteFile({
      filename: parquet,
      columnData: [
        { name: 'id', data: [2 ** 64, 7], type: 'DOUBLE' },
        { name: 'text', data: ['a', 'b'], type: 'STRING' },
      ],
    });
    const fromParquet = await read(parquet, {});
    expect(fromParquet.items.map((item) => item.id)).toEqual(['7']);
    expect(fromParquet.problems[0]!.message).toContain('a Parquet string or int64 column');
  });

  it('reads Parquet row groups', async () => {
    const path = join(folder, 'items.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'id', data: ['p1', 'p2', 'p3'], type: 'STRING' },
        { name: 'text', data: ['one', 'two', 'three'], type: 'STRING' },
        { name: 'score', data: [1n, 2n, 3n], type: 'INT64' },
      ],
      rowGroupSize: 2,
    });
    const { items } = await read(path);
    expect(items.map((item) => [item.id, item.text, item.metadata.score, item.line])).toEqual([
      ['p1', 'one', 1, 1],
      ['p2', 'two', 2, 2],
      ['p3', 'three', 3, 3],
    ]);
  });
});
