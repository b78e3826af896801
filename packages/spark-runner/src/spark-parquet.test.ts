// Parquet input on local Spark: rows reach the Node worker as JSON made by Spark's `to_json` in the
// JVM (numbers stay numbers, int64 exact, nulls stay null), and score as they do in-process
// (hyparquet): the same ids, the same problems (a repeated id too).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { evaluate, loadScorecard } from '@plexus/core';
import { expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';
import { localSpark } from './testing.js';

/** The problems of a run folder (`dataset-errors.jsonl`) by line: Spark writes them in any order. */
function problemsOf(dir: string): { line: number; message: string }[] {
  return readFileSync(join(dir, 'dataset-errors.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { line: number; message: string })
    .map(({ line, message }) => ({ line, message }))
    .sort((left, right) => left.line - right.line);
}

function resultsOf(dir: string): string[] {
  return readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(
      (text) =>
        JSON.parse(text) as { item_id: string; score: string; status: string; value: string },
    )
    .map((line) => `${line.item_id}|${line.score}|${line.status}|${line.value}`)
    .sort();
}

it('scores Parquet rows (int64 ids above 2^53, a repeated id, nulls, a row without text) as in-process', async () => {
  const spark = localSpark();
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-parquet-'));
  const data = join(dir, 'calls.parquet');
  // 300 rows with an int64 id column, in row groups of 60 that Spark reads as several partitions:
  // row r's id is r (1-based) but for rows 100 and 151, 1234567890123456789 (above 2^53: exact
  // in a local read; a JSON number would lose its last digits), row 201, 9007199254740993 (2^53 + 1)
  // and row 107, 3 (row 3's id): rows 107 and 151 repeat an earlier row's id, problems in a local
  // read. Every 7th row has no duration (null), row 14 has no text (a dataset problem).
  execFileSync(spark.python, [
    '-c',
    [
      'import sys, pyarrow as pa, pyarrow.parquet as pq',
      'n = 300',
      'texts = [None if i == 13 else ("win a free prize" if i % 5 == 0 else f"call number {i}") for i in range(n)]',
      'durations = pa.array([None if i % 7 == 0 else i * 3 for i in range(n)], pa.int64())',
      'labels = ["spam" if i % 5 == 0 else "ham" for i in range(n)]',
      'ids = [i + 1 for i in range(n)]',
      'ids[99] = ids[150] = 1234567890123456789',
      'ids[200] = 9007199254740993',
      'ids[106] = 3',
      'table = pa.table({"id": pa.array(ids, pa.int64()), "text": texts, "duration_s": durations, "label": labels})',
      'pq.write_table(table, sys.argv[1], row_group_size=60)',
    ].join('\n'),
    data,
  ]);
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    [
      'name: Parquet',
      'scores:',
      '  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free, prize] }',
      '  - { name: Length, class: heuristic/threshold, field: duration_s, rules: [{ when: "> 600", label: long }, { when: "60..600", label: normal }], otherwise: short, on_missing: unknown }',
      '',
    ].join('\n'),
  );
  const scorecard = await loadScorecard(card, { plugins: [heuristic] });
  const local = await evaluate({ scorecard, data, outDir: join(dir, 'local'), cache: false });
  const lines: string[] = [];
  const summary = await runOnSpark({
    scorecard,
    input: data,
    output: join(dir, 'spark-out'),
    runDir: join(dir, 'spark-run'),
    partitions: 2,
    // Splits of 1 KB: the row groups are read in several partitions, numbered in file order.
    conf: { 'spark.sql.files.maxPartitionBytes': '1024' },
    sparkSubmit: spark.sparkSubmit,
    env: { ...process.env, ...spark.javaEnv },
    cacheDir: join(dir, 'cache'),
    onOutput: (line) => lines.push(line),
  });
  const splits = lines.join('\n').match(/input read in (\d+) partitions/);
  expect(Number(splits?.[1])).toBeGreaterThan(1);
  expect(local).toMatchObject({ items: 297, results: 594 });
  expect(summary).toMatchObject({ status: 'completed', items: 297, results: 594 });
  const onSpark = resultsOf(join(dir, 'spark-run'));
  expect(onSpark).toEqual(resultsOf(local.dir));
  // By hand (0-based): rows 0, 7, 14, ..., 294 have no duration (43; rows 13, 106 and 150, not
  // items, are not among them); long: i * 3 > 600, rows 201 to 299 (99) but the 14 of them without
  // a duration.
  const lengths = onSpark.filter((line) => line.includes('|Length|'));
  expect(lengths.filter((line) => line.endsWith('|unknown'))).toHaveLength(43);
  expect(lengths.filter((line) => line.endsWith('|long'))).toHaveLength(99 - 14);
  // Ids: row numbers but for the rows above, exact; problems on their rows, as a local read has
  // them (the first row with an id kept).
  const ids = new Set(onSpark.map((line) => line.split('|')[0]));
  const expected = new Set(Array.from({ length: 300 }, (_, index) => String(index + 1)));
  for (const row of ['14', '100', '107', '151', '201']) expected.delete(row);
  expected.add('1234567890123456789').add('9007199254740993');
  expect(ids).toEqual(expected);
  const problems = problemsOf(join(dir, 'spark-run'));
  expect(problems).toEqual(problemsOf(local.dir));
  expect(problems).toEqual([
    { line: 14, message: expect.stringContaining('no text') },
    { line: 107, message: 'repeats id "3"; ids must be unique' },
    { line: 151, message: 'repeats id "1234567890123456789"; ids must be unique' },
  ]);
}, 600_000);
