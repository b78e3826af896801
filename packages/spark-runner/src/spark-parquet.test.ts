// Parquet input on local Spark: rows reach the Node worker as JSON made by Spark's `to_json` in the
// JVM (numbers stay numbers, nulls stay null), and score as they do in-process (hyparquet).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { evaluate, loadScorecard } from '@plexus/core';
import { expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';
import { localSpark } from './testing.js';

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

it('scores Parquet rows (numbers, nulls, a row without text) as an in-process run does', async () => {
  const spark = localSpark();
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-parquet-'));
  const data = join(dir, 'calls.parquet');
  // 300 rows without ids (each row's id is its row number, as in-process), in row groups of 60
  // that Spark reads as several partitions: every 7th has no duration (null), row 14 (1-based)
  // has no text (a dataset problem).
  execFileSync(spark.python, [
    '-c',
    [
      'import sys, pyarrow as pa, pyarrow.parquet as pq',
      'n = 300',
      'texts = [None if i == 13 else ("win a free prize" if i % 5 == 0 else f"call number {i}") for i in range(n)]',
      'durations = [None if i % 7 == 0 else float(i * 3) for i in range(n)]',
      'labels = ["spam" if i % 5 == 0 else "ham" for i in range(n)]',
      'pq.write_table(pa.table({"text": texts, "duration_s": durations, "label": labels}), sys.argv[1], row_group_size=60)',
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
  expect(local).toMatchObject({ items: 299, results: 598 });
  expect(summary).toMatchObject({ status: 'completed', items: 299, results: 598 });
  const onSpark = resultsOf(join(dir, 'spark-run'));
  expect(onSpark).toEqual(resultsOf(local.dir));
  // By hand: rows 0, 7, 14, ..., 294 have no duration (43; row 13, without text, is not one of
  // them); long: i * 3 > 600, rows 201 to 299 (99) but the 14 of them without a duration.
  const lengths = onSpark.filter((line) => line.includes('|Length|'));
  expect(lengths.filter((line) => line.endsWith('|unknown'))).toHaveLength(43);
  expect(lengths.filter((line) => line.endsWith('|long'))).toHaveLength(99 - 14);
  // Ids are row numbers (1-based), the row without text is a problem on its row.
  const ids = new Set(onSpark.map((line) => line.split('|')[0]));
  expect(ids.size).toBe(299);
  expect([...ids].every((id) => Number(id) >= 1 && Number(id) <= 300 && id !== '14')).toBe(true);
  const problems = readFileSync(join(dir, 'spark-run/dataset-errors.jsonl'), 'utf8');
  expect(JSON.parse(problems)).toMatchObject({
    line: 14,
    message: expect.stringContaining('no text'),
  });
}, 600_000);
