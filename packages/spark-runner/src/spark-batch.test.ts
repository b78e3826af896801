import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

it('spark submit --batch: one batch per partition, recorded in the cache; a retried task pays nothing twice', async () => {
  const server = await startTestServer({ seed: 6, batch: { delayMs: 100 } });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-batch-'));
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      `name: Spark Batch\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: gpt-4o-mini, base_url: ${JSON.stringify(server.url)}, api_key_env: PLEXUS_SPARK_TEST_KEY, batch_poll_ms: 50, prompt: "Is this spam? {{ text }}" }\n`,
    );
    process.env.PLEXUS_SPARK_TEST_KEY = 'test-key';
    const items = 120;
    const rows = Array.from({ length: items }, (_, index) =>
      JSON.stringify({ id: `b${index}`, text: `batch message ${index}` }),
    );
    writeFileSync(join(dir, 'items.jsonl'), `${rows.join('\n')}\n`);
    const scorecard = await loadScorecard(card, { plugins: [llm] });
    const lines: string[] = [];
    const summary = await runOnSpark({
      scorecard,
      input: join(dir, 'items.jsonl'),
      output: join(dir, 'out'),
      runDir: join(dir, 'run'),
      master: 'local[2,3]',
      partitions: 2,
      batch: true,
      // Partition 0's first attempt fails after its batch ended: the retry must not pay again.
      conf: { 'spark.plexus.failFirstAttempt': 'true' },
      sparkSubmit: spark.sparkSubmit,
      env: { ...process.env, ...spark.javaEnv },
      cacheDir: join(dir, 'cache'),
      onOutput: (line) => lines.push(line),
    });
    expect(lines.some((line) => line.includes('forced task failure'))).toBe(true);
    expect(summary).toMatchObject({ status: 'completed', items, results: items, errors: 0 });
    expect(server.stats.requests).toBe(0); // no synchronous call
    expect(server.batches.uploads).toBe(2);
    expect(server.batches.batches).toHaveLength(2);
    expect(server.batches.batches.reduce((sum, batch) => sum + batch.counts.total, 0)).toBe(items);
    expect([...server.batches.runsByCustomId.values()]).toEqual(Array(items).fill(1));
    const jobs = readdirSync(join(dir, 'cache', 'batches'));
    expect(jobs).toHaveLength(1);
    const record = readFileSync(
      join(dir, 'cache', 'batches', jobs[0]!, 'partition-1', 'batches.jsonl'),
      'utf8',
    );
    expect(
      record
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event),
    ).toEqual(['uploaded', 'submitted', 'ended']);
  } finally {
    await server.close();
  }
});
