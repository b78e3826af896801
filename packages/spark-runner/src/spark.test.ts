import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { plugin as onnx } from '@plexus/classifier-onnx';
import { evaluate, loadScorecard, readDataset } from '@plexus/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';
import { type LocalSpark, localSpark } from './testing.js';

const spam = fileURLToPath(new URL('../../../examples/spam/', import.meta.url));
let spark: LocalSpark;

beforeAll(() => {
  spark = localSpark();
}, 900_000);

const gold = { label: ['label'] };

/** Ids (row numbers, when there is no id column) and problems as core's reader gives them. */
async function localRead(path: string) {
  const problems: { line: number; message: string }[] = [];
  const items: { id: string; label: string | undefined }[] = [];
  for await (const item of readDataset({ path, gold, onProblem: (row) => problems.push(row) }))
    items.push({ id: item.id, label: item.labels.label });
  return { items, problems: problems.map(({ line, message }) => ({ line, message })) };
}

/** The problems of a run folder (`dataset-errors.jsonl`) by line (Spark's come in any order). */
function problemsOf(dir: string): { line: number; message: string }[] {
  return readFileSync(join(dir, 'dataset-errors.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { line: number; message: string })
    .map(({ line, message }) => ({ line, message }))
    .sort((left, right) => left.line - right.line);
}

/** A run folder's metrics.json without what timing gives (latency, duration). */
function metricsOf(dir: string): unknown {
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'), (key, value) =>
    key === 'latency_ms_mean' || key === 'duration_s' ? undefined : value,
  );
  return metrics;
}

/**
 * Each line of a run's results.jsonl whole, by item and score, but its latency and the item's
 * text (kept on one of the item's lines: `textsOf`).
 */
function linesOf(dir: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const text of readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n')) {
    const { latency_ms: _latency, text: _text, text_length: _length, ...line } = JSON.parse(text);
    lines.set(`${line.item_id}|${line.score}`, JSON.stringify(line));
  }
  return lines;
}

/** The text results.jsonl keeps for each item (on its first line), by item id. */
function textsOf(dir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const text of readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n')) {
    const line = JSON.parse(text);
    if (line.text !== undefined) texts.set(line.item_id, `${line.text}|${line.text_length}`);
  }
  return texts;
}

function resultsOf(dir: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const text of readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n')) {
    const line = JSON.parse(text);
    values.set(`${line.item_id}|${line.score}`, `${line.status}:${line.value}`);
  }
  return values;
}

describe('spark-runner on local Spark', () => {
  it('gives the same results, metrics and report as an in-process run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-'));
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      `name: Spark Spam\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free, win, prize, claim, txt] }\n  - { name: ONNX, class: onnx/classifier, labels: [spam, ham], label_column: label, model: "models:/spam-onnx@champion" }\n`,
    );
    // A registry model: the driver resolves it (here to the example's file, as the MLflow
    // resolver would to its download), the executors load that file and never ask MLflow.
    const models = { 'models:/spam-onnx@champion': join(spam, 'models/spam.onnx') };
    const resolveModel = async (uri: string) => models[uri as keyof typeof models];
    // No id column: each item's id is its row number as core's reader counts it (a blank line is
    // no row, a malformed one is: a problem on its line), on Spark as in-process. Some texts span
    // lines (quoted), so rows and lines differ.
    const data = join(dir, 'sms.csv');
    const rows = ['text,label'];
    for await (const item of readDataset({ path: join(spam, 'data/test.csv'), gold })) {
      rows.push(`"${item.text.replaceAll('"', '""')}",${item.labels.label}`);
    }
    rows.splice(500, 0, '', 'one,two,three');
    rows.push(',ham'); // An empty text stays an empty string (scored), as in-process.
    writeFileSync(data, `${rows.join('\n')}\n`);
    const read = await localRead(data);
    const scorecard = await loadScorecard(card, { plugins: [heuristic, onnx], resolveModel });
    const local = await evaluate({ scorecard, data, outDir: join(dir, 'local'), cache: false });
    const lines: string[] = [];
    const summary = await runOnSpark({
      scorecard,
      input: data,
      output: join(dir, 'spark-out'),
      runDir: join(dir, 'spark-run'),
      partitions: 3,
      models,
      sparkSubmit: spark.sparkSubmit,
      env: { ...process.env, ...spark.javaEnv },
      cacheDir: join(dir, 'cache'),
      onOutput: (line) => lines.push(line),
    });
    expect(summary).toMatchObject({
      status: 'completed',
      items: 1115,
      results: 2230,
      malformedRows: 1,
      errors: 0,
    });
    expect(lines.filter((line) => line.includes('done rows='))).toHaveLength(3);
    const onSpark = resultsOf(join(dir, 'spark-run'));
    expect(onSpark).toEqual(resultsOf(join(dir, 'local')));
    // Every field of every line as in-process but the time it took, and each item's text (Spark
    // kept none: the report, the viewer and review showed no text of a Spark run).
    expect(linesOf(join(dir, 'spark-run'))).toEqual(linesOf(join(dir, 'local')));
    expect(textsOf(join(dir, 'spark-run'))).toEqual(textsOf(join(dir, 'local')));
    expect(textsOf(join(dir, 'local')).size).toBe(1115);
    // The ids core's reader gives (by hand: 1114 rows, the malformed one is row 500, the last 1116).
    expect(new Set([...onSpark.keys()].map((key) => key.split('|')[0]))).toEqual(
      new Set(read.items.map((item) => item.id)),
    );
    expect(read.items.map((item) => item.id).slice(498, 501)).toEqual(['499', '501', '502']);
    expect(read.items.at(-1)?.id).toBe('1116');
    expect(problemsOf(join(dir, 'spark-run'))).toEqual(read.problems);
    expect(read.problems).toEqual([
      { line: expect.any(Number), message: expect.stringContaining('has 3 fields') },
    ]);
    // Every figure of metrics.json as in-process, to the last digit, but the time each answer took.
    expect(metricsOf(join(dir, 'spark-run'))).toEqual(metricsOf(join(dir, 'local')));
    for (const score of ['Words', 'ONNX']) {
      expect(summary.scores[score]!.accuracy).toBe(local.scores[score]!.accuracy);
      expect(summary.scores[score]!.f1).toEqual(local.scores[score]!.f1);
    }
    expect(readFileSync(join(dir, 'spark-run/report.html'), 'utf8')).toContain('Spark Spam');
  });

  it('retries a failed task without repeating any LLM call (local[2,3], forced failure)', async () => {
    const server = await startTestServer({ seed: 3, latencyMs: 5 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-retry-'));
      const card = join(dir, 'card.yaml');
      writeFileSync(
        card,
        `name: Spark LLM\nscores:\n  - { name: Spam LLM, class: llm/classifier, labels: [spam, ham], label_column: label, model: test-model, base_url: ${JSON.stringify(server.url)}, api_key_env: PLEXUS_SPARK_TEST_KEY, prompt: "Is this spam? {{ text }}" }\n`,
      );
      process.env.PLEXUS_SPARK_TEST_KEY = 'test-key';
      // 300 distinct messages (identical texts in flight at once would each call, retry or not),
      // as JSONL without ids, with one malformed line, which must become an error row, and a
      // blank line in the first of the two byte ranges Spark reads: ids are row numbers as
      // core's reader counts them (the blank line is no row, the malformed one is). And ids that
      // repeat, each a problem as in a local read (the row with the lowest line kept): line 3 has
      // id 250, so row 250 (line 251, in the other byte range) repeats it; the last two lines
      // repeat rows 5 and 7 as 5.0 and "7" (the same ids as JavaScript reads them).
      const data = join(dir, 'sms.jsonl');
      const seen = new Set<string>();
      const rows: string[] = [];
      for await (const item of readDataset({ path: join(spam, 'data/test.csv'), gold })) {
        if (rows.length >= 301 || seen.has(item.text)) continue;
        seen.add(item.text);
        rows.push(JSON.stringify({ text: item.text, label: item.labels.label }));
      }
      const withId = { id: 250, ...(JSON.parse(rows.pop() ?? '{}') as object) };
      rows.splice(150, 0, '{"text": ');
      rows.splice(100, 0, ' \u3000\t'); // blank: whitespace only, as JavaScript's trim sees it
      rows.splice(2, 0, JSON.stringify(withId));
      rows.push(`{"id": 5.0, ${rows[0]!.slice(1)}`, `{"id": "7", ${rows[1]!.slice(1)}`);
      writeFileSync(data, `${rows.join('\n')}\n`);
      const read = await localRead(data);
      // By hand: the malformed line is line 153, row 152; rows 250, 303 and 304 repeat ids.
      expect(read.problems).toEqual([
        { line: 153, message: expect.stringContaining('not valid') },
        { line: 251, message: 'repeats id "250"; ids must be unique' },
        { line: 304, message: 'repeats id "5"; ids must be unique' },
        { line: 305, message: 'repeats id "7"; ids must be unique' },
      ]);
      expect(read.items.map((item) => item.id).slice(0, 4)).toEqual(['1', '2', '250', '4']);
      expect(read.items.map((item) => item.id).slice(150, 152)).toEqual(['151', '153']);
      const scorecard = await loadScorecard(card, { plugins: [llm] });
      const lines: string[] = [];
      const summary = await runOnSpark({
        scorecard,
        input: data,
        output: join(dir, 'out'),
        runDir: join(dir, 'run'),
        master: 'local[2,3]',
        partitions: 2,
        conf: { 'spark.plexus.failFirstAttempt': 'true' },
        sparkSubmit: spark.sparkSubmit,
        env: { ...process.env, ...spark.javaEnv },
        cacheDir: join(dir, 'cache'),
        onOutput: (line) => lines.push(line),
      });
      expect(lines.some((line) => line.includes('forced task failure'))).toBe(true);
      // Two byte ranges at least: the second's ids start after the first's rows.
      const ranges = lines.join('\n').match(/input read in (\d+) partitions/);
      expect(Number(ranges?.[1])).toBeGreaterThan(1);
      // Three lines name the id column: the rows are grouped by id (a shuffle), not left in the
      // byte ranges read as for a file without ids.
      expect(lines).toContain('plexus: rows grouped by id (column "id") in 2 partitions');
      expect(summary).toMatchObject({
        status: 'completed',
        items: 300,
        results: 300,
        errors: 0,
        malformedRows: 4, // the malformed line and the three repeated ids
      });
      expect(problemsOf(join(dir, 'run'))).toEqual(read.problems);
      const byId = (left: { id: string }, right: { id: string }) =>
        Number(left.id) - Number(right.id);
      const labels = readFileSync(join(dir, 'run/results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { item_id: string; label: string })
        .map((line) => ({ id: line.item_id, label: line.label }))
        .sort(byId);
      // Each id is the same row's as core's: its gold label follows it.
      expect(labels).toEqual([...read.items].sort(byId));
      expect(server.stats.requests).toBe(300);
      expect([...server.stats.byBody.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
