import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { loadScorecard } from '@plexus/core';
import { beforeAll, expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';
import { type LocalSpark, localSpark } from './testing.js';

let spark: LocalSpark;

beforeAll(() => {
  spark = localSpark();
}, 900_000);

it("divides a score's max_concurrency among the tasks that run at once; JSONL read as text", async () => {
  const server = await startTestServer({ seed: 4, latencyMs: 40 });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-limits-'));
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      `name: Spark Limits\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: test-model, base_url: ${JSON.stringify(server.url)}, api_key_env: PLEXUS_SPARK_TEST_KEY, max_concurrency: 6, prompt: "Is this spam? {{ text }}" }\n`,
    );
    process.env.PLEXUS_SPARK_TEST_KEY = 'test-key';
    // 240 items, one line that is not JSON and a blank line (skipped, as in-process).
    const rows = Array.from({ length: 240 }, (_, index) =>
      JSON.stringify({ id: `m${index}`, text: `message number ${index}` }),
    );
    rows.splice(100, 0, '{"id": "broken", "text": ', '');
    writeFileSync(join(dir, 'items.jsonl'), `${rows.join('\n')}\n`);
    const scorecard = await loadScorecard(card, { plugins: [llm] });
    const lines: string[] = [];
    const summary = await runOnSpark({
      scorecard,
      input: join(dir, 'items.jsonl'),
      output: join(dir, 'out'),
      runDir: join(dir, 'run'),
      master: 'local[3]',
      partitions: 3,
      sparkSubmit: spark.sparkSubmit,
      env: { ...process.env, ...spark.javaEnv },
      cacheDir: join(dir, 'cache'),
      onOutput: (line) => lines.push(line),
    });
    expect(lines).toContain('plexus: request limits divided among 3 tasks at once');
    expect(summary).toMatchObject({ status: 'completed', items: 240, errors: 0, malformedRows: 1 });
    expect(readFileSync(join(dir, 'run/dataset-errors.jsonl'), 'utf8')).toContain(
      'is not valid JSON',
    );
    // 3 tasks at once, 6 / 3 = 2 requests each: never more than the score's 6 in flight (each
    // task alone would allow 6, 18 for the job), and more than one task's 2 at some moment.
    expect(server.stats.requests).toBe(240);
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(6);
    expect(server.stats.maxInFlight).toBeGreaterThan(2);
  } finally {
    await server.close();
  }
});
