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
      `name: Spark Spam\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free, win, prize, claim, txt] }\n  - { name: ONNX, class: onnx/classifier, labels: [spam, ham], label_column: label, model: ${JSON.stringify(join(spam, 'models/spam.onnx'))} }\n`,
    );
    // An empty text stays an empty string (scored), as in-process.
    const data = join(dir, 'sms.csv');
    writeFileSync(
      data,
      `${readFileSync(join(spam, 'data/test.csv'), 'utf8').trimEnd()}\nempty-text,,ham\n`,
    );
    const scorecard = await loadScorecard(card, { plugins: [heuristic, onnx] });
    const local = await evaluate({ scorecard, data, outDir: join(dir, 'local'), cache: false });
    const lines: string[] = [];
    const summary = await runOnSpark({
      scorecard,
      input: data,
      output: join(dir, 'spark-out'),
      runDir: join(dir, 'spark-run'),
      partitions: 3,
      sparkSubmit: spark.sparkSubmit,
      env: { ...process.env, ...spark.javaEnv },
      cacheDir: join(dir, 'cache'),
      onOutput: (line) => lines.push(line),
    });
    expect(summary).toMatchObject({
      status: 'completed',
      items: 1115,
      results: 2230,
      malformedRows: 0,
      errors: 0,
    });
    expect(lines.filter((line) => line.includes('done rows='))).toHaveLength(3);
    expect(resultsOf(join(dir, 'spark-run'))).toEqual(resultsOf(join(dir, 'local')));
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
      // as JSONL with one malformed line, which must become an error row.
      const data = join(dir, 'sms.jsonl');
      const seen = new Set<string>();
      const rows: string[] = [];
      for await (const item of readDataset({
        path: join(spam, 'data/test.csv'),
        gold: { label: ['label'] },
      })) {
        if (rows.length >= 300 || seen.has(item.text)) continue;
        seen.add(item.text);
        rows.push(JSON.stringify({ id: item.id, text: item.text, label: item.labels.label }));
      }
      rows.splice(150, 0, '{"id": "broken", "text": ');
      writeFileSync(data, `${rows.join('\n')}\n`);
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
      expect(summary).toMatchObject({
        status: 'completed',
        items: 300,
        results: 300,
        errors: 0,
        malformedRows: 1,
      });
      expect(readFileSync(join(dir, 'run/dataset-errors.jsonl'), 'utf8')).toContain(
        'is not valid JSON',
      );
      const ids = readFileSync(join(dir, 'run/results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).item_id);
      expect(new Set(ids).size).toBe(300);
      expect(server.stats.requests).toBe(300);
      expect([...server.stats.byBody.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
