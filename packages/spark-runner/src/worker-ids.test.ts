// The worker bundle (dist/worker.mjs, as Spark runs it) on ids, against core's reader on the same
// rows: a repeated id among the rows the job marks `shared` is the problem a local read reports
// (the first kept), and Parquet int64 columns sent as digits become the values core's Parquet
// reader gives (a number when exact, else the digits).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '@plexus/core';
import { expect, it } from 'vitest';
import { sparkFiles } from './spark-job.js';
import { exactIntegers } from './worker-protocol.js';

const rows = [
  '{"id": 5, "text": "win a prize"}',
  '{"id": "x", "text": "hello"}',
  '{"id": "5", "text": "free money"}',
  '{"text": "no id: row 4"}',
  '{"id": 4.0, "text": "row four again"}',
  '{"id": "9007199254740993", "text": "big"}',
];

it('reports a repeated id as core reads it, the first row kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-worker-ids-'));
  const data = join(dir, 'rows.jsonl');
  writeFileSync(data, `${rows.join('\n')}\n`);
  const problems: { line: number; message: string }[] = [];
  const ids: string[] = [];
  for await (const item of readDataset({ path: data, onProblem: (row) => problems.push(row) }))
    ids.push(item.id);
  // By hand: row 3 repeats 5 ("5" and 5 are one id), row 5 repeats row 4's row number.
  expect(ids).toEqual(['5', 'x', '4', '9007199254740993']);
  expect(problems.map(({ line, message }) => ({ line, message }))).toEqual([
    { line: 3, message: 'repeats id "5"; ids must be unique' },
    { line: 5, message: 'repeats id "4"; ids must be unique' },
  ]);

  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Ids\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], phrases: [win, free] }\n',
  );
  // Two blocks, as the job sends them: every row but "x" may share an id (sharing_ids).
  const input = [
    JSON.stringify({ rows: [1, 2, 3], lines: [1, 2, 3], problems: [], shared: [0, 2] }),
    ...rows.slice(0, 3),
    JSON.stringify({ rows: [4, 5, 6], lines: [4, 5, 6], problems: [], shared: [0, 1] }),
    ...rows.slice(3),
    '',
  ].join('\n');
  const output = execFileSync(
    process.execPath,
    [sparkFiles().worker, '--scorecard', card, '--cache-dir', join(dir, 'cache'), '--no-cache'],
    { input, encoding: 'utf8' },
  );
  const lines = output
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as Record<string, unknown>);
  expect(lines.filter((line) => line.item_id !== null).map((line) => line.item_id)).toEqual(ids);
  expect(
    lines
      .filter((line) => line.problem_line !== undefined)
      .map((line) => ({ line: line.problem_line, message: line.problem_message })),
  ).toEqual(problems.map(({ line, message }) => ({ line, message })));
});

it('refuses rows grouped by another column than the scorecard ids (repeats would be missed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-worker-grouped-'));
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Ids\ndata: { id_column: call_id }\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], phrases: [win] }\n',
  );
  const worker = [sparkFiles().worker, '--scorecard', card, '--cache-dir', join(dir, 'cache')];
  const refused = spawnSync(process.execPath, [...worker, '--grouped-by', 'id'], {
    input: '',
    encoding: 'utf8',
  });
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain(
    'the job grouped rows by column "id", but the scorecard\'s ids are in "call_id"',
  );
  expect(refused.stderr).toContain('pass --id-column "call_id"');
  const grouped = spawnSync(process.execPath, [...worker, '--grouped-by', 'call_id'], {
    input: '',
    encoding: 'utf8',
  });
  expect(grouped.status).toBe(0);
});

it('turns int64 digits into what core reads from Parquet: numbers when exact', () => {
  const record: Record<string, unknown> = {
    small: '42',
    negative: '-9007199254740991',
    big: '9007199254740993',
    edge: '9007199254740992',
    absent: null,
    text: '7',
  };
  exactIntegers(record, ['small', 'negative', 'big', 'edge', 'absent', 'missing']);
  // Core's Parquet reader: Number.isSafeInteger(Number(bigint)) ? number : bigint.toString().
  for (const [name, value] of Object.entries({
    small: 42n,
    negative: -9007199254740991n,
    big: 9007199254740993n,
    edge: 9007199254740992n,
  }))
    expect(record[name]).toBe(
      Number.isSafeInteger(Number(value)) ? Number(value) : value.toString(),
    );
  expect(record).toMatchObject({ small: 42, big: '9007199254740993', absent: null, text: '7' });
  expect(Object.hasOwn(record, 'missing')).toBe(false);
});
