import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as forest } from '@plexus/classifier-forest';
import {
  type DatasetProblem,
  evaluate,
  idFraction,
  loadScorecard,
  readDataset,
  train,
} from '@plexus/core';
import { beforeAll, expect, it } from 'vitest';
import { trainOnSpark } from './spark-train.js';
import { type LocalSpark, localSpark } from './testing.js';

const banking = fileURLToPath(new URL('../../../examples/banking-intents/', import.meta.url));
let spark: LocalSpark;

beforeAll(() => {
  spark = localSpark();
}, 900_000);

/** The banking example's forest score with `trees`, its model written to `model`. */
function scorecard(dir: string, name: string, model: string): string {
  const source = readFileSync(join(banking, 'scorecard.yaml'), 'utf8');
  const labels = source.slice(
    source.indexOf('    labels: &intents'),
    source.indexOf('    label_column: category'),
  );
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}\ndata: { text_column: text }\nscores:\n  - name: Intent Forest\n    class: forest/random-forest\n${labels}    label_column: category\n    model: ${model}\n    trees: 40\n`,
  );
  return path;
}

/**
 * Where two files first differ, -1 when they are the same byte for byte. (`toEqual` on two
 * Buffers of a few MB compares them an element at a time through vitest's generic equality:
 * 10 CPU seconds and as many again in garbage collection.)
 */
function firstDifference(one: Buffer, other: Buffer): number {
  if (one.equals(other)) return -1;
  const shorter = Math.min(one.length, other.length);
  for (let index = 0; index < shorter; index += 1) if (one[index] !== other[index]) return index;
  return shorter;
}

async function accuracyOn(card: string, data: string): Promise<number> {
  const loaded = await loadScorecard(card, { plugins: [forest] });
  const summary = await evaluate({
    scorecard: loaded,
    data,
    outDir: mkdtempSync(join(tmpdir(), 'plexus-eval-')),
    cache: false,
  });
  return summary.scores['Intent Forest']!.accuracy!;
}

it('trains Banking77 on Spark: the model a local training with the same shards writes, as accurate as a local one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-train-'));
  // Every row ends as training data or as a counted reason: one without a label, one with a label
  // the score does not declare, one that is not JSON; a blank line is no row. JSONL without ids,
  // read in several byte ranges: each id is the row number a local read gives (ids decide the
  // shards), so the model is the one a local training writes.
  const data = join(dir, 'train.jsonl');
  const rows: string[] = [];
  const gold = { category: ['category'] };
  for await (const item of readDataset({ path: join(banking, 'data/train.csv'), gold }))
    rows.push(JSON.stringify({ text: item.text, category: item.labels.category }));
  // The blank line in the first byte range; the rows after it keep the ids they have in the CSV
  // (row numbers), and so the trees of the CSV's shards.
  rows.splice(3000, 0, '   ');
  rows.push('{"text": "where is my money"}');
  rows.push('{"text": "is this a real bank", "category": "not_an_intent"}');
  rows.push('{"text": "not json');
  writeFileSync(data, `${rows.join('\n')}\n`);
  const card = scorecard(dir, 'Spark Banking', 'spark.json');
  const lines: string[] = [];
  const trained = await trainOnSpark({
    scorecard: await loadScorecard(card, { plugins: [forest], create: false }),
    score: 'Intent Forest',
    input: data,
    output: join(dir, 'out'),
    shards: 2,
    testFraction: 0,
    conf: { 'spark.sql.files.maxPartitionBytes': String(400_000) },
    sparkSubmit: spark.sparkSubmit,
    env: { ...process.env, ...spark.javaEnv },
    onOutput: (line) => lines.push(line),
  });
  expect(lines.filter((line) => line.startsWith('plexus-progress shard='))).toHaveLength(2);
  expect(trained).toMatchObject({ shards: 2, trainItems: 10003, testItems: 0, metrics: null });
  expect(trained.counts).toEqual({ item: 10003, unlabeled: 1, unknown: 1, problem: 1 });
  const ranges = lines.join('\n').match(/input read in (\d+) partitions/);
  expect(Number(ranges?.[1])).toBeGreaterThan(1);

  // Locally, the same split and shards give the same file, byte for byte.
  const localCard = scorecard(dir, 'Local Banking', 'local.json');
  await train({
    scorecard: await loadScorecard(localCard, { plugins: [forest], create: false }),
    data,
    testFraction: 0,
    split: 'hash',
    settingsOverride: { shards: 2 },
  });
  expect(
    firstDifference(readFileSync(join(dir, 'local.json')), readFileSync(trained.modelPath)),
  ).toBe(-1);

  // A forest grown on all rows per tree (shards: 1) scores test.csv within 2 points of Spark's.
  const wholeCard = scorecard(dir, 'Whole Banking', 'whole.json');
  await train({
    scorecard: await loadScorecard(wholeCard, { plugins: [forest], create: false }),
    data,
    testFraction: 0,
  });
  const test = join(banking, 'data/test.csv');
  const sparkAccuracy = await accuracyOn(card, test);
  const wholeAccuracy = await accuracyOn(wholeCard, test);
  console.log(`Banking77 test.csv: Spark (2 shards) ${sparkAccuracy}, local ${wholeAccuracy}`);
  expect(sparkAccuracy).toBeGreaterThan(0.8);
  expect(Math.abs(sparkAccuracy - wholeAccuracy)).toBeLessThanOrEqual(0.02);
}, 900_000);

interface HeldOut {
  id: string;
  metadata: Record<string, unknown>;
}

/** The held-out items the Spark job wrote (`<output>/test/part-*`), by id. */
function heldOutItems(output: string): HeldOut[] {
  const folder = join(output, 'test');
  return readdirSync(folder)
    .filter((name) => name.startsWith('part-'))
    .flatMap((name) => readFileSync(join(folder, name), 'utf8').split('\n'))
    .filter((text) => text.trim() !== '')
    .map((text) => JSON.parse(text) as HeldOut)
    .sort((left, right) => (left.id < right.id ? -1 : 1));
}

it('trains on Parquet int64 ids as a local training does: a repeated id reported, not used twice; ids above 2^53 and unsigned 64-bit columns exact', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-train-ids-'));
  const data = join(dir, 'train.parquet');
  // 240 rows, int64 ids: row r's id is r (1-based) but for rows 100 and 151, 1234567890123456789
  // (above 2^53: exact locally, rounded as a JSON number), row 201, 9007199254740993 (2^53 + 1),
  // and row 107, 3 (row 3's id). Rows 107 and 151 repeat an earlier id: not used, reported.
  // `account`, unsigned 64-bit (Spark reads it as decimal(20,0)): 2^64 - 1 on every 4th row,
  // 2^53 + 1 on every 4th but one, else the row number; exact in a local read.
  execFileSync(spark.python, [
    '-c',
    [
      'import sys, pyarrow as pa, pyarrow.parquet as pq',
      'n = 240',
      'texts = [("win a free prize now " if i % 3 == 0 else "see you at lunch ") + str(i) for i in range(n)]',
      'labels = ["spam" if i % 3 == 0 else "ham" for i in range(n)]',
      'ids = [i + 1 for i in range(n)]',
      'ids[99] = ids[150] = 1234567890123456789',
      'ids[200] = 9007199254740993',
      'ids[106] = 3',
      'accounts = [2**64 - 1 if i % 4 == 0 else 2**53 + 1 if i % 4 == 1 else i + 1 for i in range(n)]',
      'table = pa.table({"id": pa.array(ids, pa.int64()), "text": texts, "label": labels, "account": pa.array(accounts, pa.uint64())})',
      'pq.write_table(table, sys.argv[1], row_group_size=50)',
    ].join('\n'),
    data,
  ]);
  const card = (name: string, model: string) => {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(
      path,
      `name: ${name}\nscores:\n  - { name: Spam Forest, class: forest/random-forest, labels: [spam, ham, phishing, other], label_column: label, model: ${model}, trees: 6 }\n`,
    );
    return path;
  };
  const lines: string[] = [];
  const output = join(dir, 'out');
  const trained = await trainOnSpark({
    scorecard: await loadScorecard(card('Spark Ids', 'spark.json'), {
      plugins: [forest],
      create: false,
    }),
    score: 'Spam Forest',
    input: data,
    output,
    shards: 2,
    testFraction: 0.25,
    // Splits of 1 KB: the row groups are read in several partitions.
    conf: { 'spark.sql.files.maxPartitionBytes': '1024' },
    sparkSubmit: spark.sparkSubmit,
    env: { ...process.env, ...spark.javaEnv },
    onOutput: (line) => lines.push(line),
  });
  const problems: DatasetProblem[] = [];
  const [local] = await train({
    scorecard: await loadScorecard(card('Local Ids', 'local.json'), {
      plugins: [forest],
      create: false,
    }),
    data,
    testFraction: 0.25,
    split: 'hash',
    settingsOverride: { shards: 2 },
    onDatasetProblem: (problem) => problems.push(problem),
  });
  expect(problems.map(({ line, message }) => ({ line, message }))).toEqual([
    { line: 107, message: 'repeats id "3"; ids must be unique' },
    { line: 151, message: 'repeats id "1234567890123456789"; ids must be unique' },
  ]);
  // The same rows used, split the same way: 238 items, the held-out ones by a hash of their ids.
  const ids = Array.from({ length: 240 }, (_, index) => String(index + 1)).filter(
    (id) => !['100', '107', '151', '201'].includes(id),
  );
  ids.push('1234567890123456789', '9007199254740993');
  const heldOut = ids.filter((id) => idFraction(id, 0) < 0.25).sort();
  expect(local).toMatchObject({ trainItems: 238 - heldOut.length, testItems: heldOut.length });
  expect(trained).toMatchObject({ trainItems: local!.trainItems, testItems: local!.testItems });
  const onSpark = heldOutItems(output);
  expect(onSpark.map((item) => item.id)).toEqual(heldOut);
  // Their metadata as a local read gives it: unsigned 64-bit numbers above 2^53 as their digits.
  const read = new Map<string, unknown>();
  for await (const item of readDataset({ path: data })) read.set(item.id, item.metadata.account);
  expect(onSpark.map((item) => item.metadata.account)).toEqual(heldOut.map((id) => read.get(id)));
  expect(new Set(read.values())).toContain('18446744073709551615');
  expect(trained.counts).toEqual({ item: 238, problem: 2 });
  expect(trained.firstProblems.sort((left, right) => left.line - right.line)).toEqual(
    problems.map(({ line, message }) => ({ line, message })),
  );
  // Two declared labels no row has: said as the local training says it (Spark said nothing).
  expect(trained.facts[1]).toBe(
    'no training item is labelled "phishing", "other": the model never answers them; train on items of every label',
  );
  expect(trained.facts).toEqual(local!.facts);
  // Every held-out figure as the local training's, to the last digit (same items, same model).
  const timeless = (metrics: object | null) => ({ ...metrics, latency_ms_mean: undefined });
  expect(timeless(trained.metrics)).toEqual(timeless(local!.metrics));
  expect(trained.metrics?.accuracy).toBe(local!.metrics?.accuracy);
  expect(
    firstDifference(readFileSync(join(dir, 'local.json')), readFileSync(trained.modelPath)),
  ).toBe(-1);
}, 600_000);
