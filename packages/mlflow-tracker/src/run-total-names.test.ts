// A score named like a run total (`run.cost`, `run`) or like the feedback metrics' prefix, synced to
// the package's real MLflow server: each of its metrics under a key of its own, the run totals
// under theirs, no key written twice.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, loadScorecard, type RunMetricsFile } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { syncRun } from './run-sync.js';

const spamTest = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));
const server = inject('mlflowServer');

/** The run totals runMetrics logs (README, "What is logged"), written out by hand. */
const runTotals = [
  'run.items',
  'run.results',
  'run.errors',
  'run.skipped',
  'run.malformed_rows',
  'run.cache_hits',
  'run.duration_s',
  'run.cost.usd',
  'run.cost.input_tokens',
  'run.cost.output_tokens',
  'run.cost.llm_calls',
  'run.cost.retries',
];

it('logs a score named run.cost, run or feedback.x under keys of its own, never over a run total', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-names-'));
  const card = join(dir, 'card.yaml');
  const names = ['run.cost', 'run', 'feedback.Free', 'Free'];
  writeFileSync(
    card,
    `name: Clashing Names\nscores:\n${names
      .map(
        (name, index) =>
          `  - { name: ${JSON.stringify(name)}, class: test/contains, word: ${['free', 'call', 'win', 'prize'][index]}, labels: [spam, ham], label_column: label }\n`,
      )
      .join('')}`,
  );
  const scorecard = await loadScorecard(card, { plugins: [testPlugin] });
  const summary = await evaluate({
    scorecard,
    data: spamTest,
    outDir: join(dir, 'run'),
    cache: false,
  });
  const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
  const synced = await syncRun(summary.dir, { client, experimentName: 'plexus-tests/names' });
  const logged = (await client.getRun(synced.runId)).data?.metrics ?? [];
  const keys = logged.map((metric) => metric.key);
  const value = new Map(logged.map((metric) => [metric.key, metric.value]));
  const metrics = JSON.parse(
    readFileSync(join(summary.dir, 'metrics.json'), 'utf8'),
  ) as RunMetricsFile;
  // The run totals are the run's: no score writes a key under `run.`.
  expect(keys.filter((key) => key.startsWith('run.')).sort()).toEqual(
    runTotals.filter((key) => value.has(key)).sort(),
  );
  expect(value.get('run.items')).toBe(metrics.items);
  expect(value.get('run.cost.input_tokens')).toBe(metrics.cost.input_tokens);
  // Each score's accuracy and tokens under a key of its own (its name, made distinct), once.
  for (const name of names) {
    const score = metrics.scores[name]!;
    const accuracy = keys.filter(
      (key) => key.endsWith('.accuracy') && value.get(key) === score.accuracy,
    );
    expect(accuracy.length).toBeGreaterThanOrEqual(1);
  }
  const tokens = keys.filter((key) => key.endsWith('.input_tokens'));
  // Four scores' input_tokens and the run's, each its own key.
  expect(tokens).toHaveLength(5);
  const prefixes = new Set(
    keys
      .filter((key) => key.endsWith('.n_results'))
      .map((key) => key.slice(0, -'.n_results'.length)),
  );
  expect(prefixes.size).toBe(4);
  expect([...prefixes].filter((prefix) => /^(run|feedback)(\.|$)/.test(prefix))).toEqual([]);
  expect(prefixes).toContain('Free');
  // The hash by hand: python3 -c "import hashlib; print(hashlib.sha256(b'run.cost\0').hexdigest()[:8])" (core's sha256 ends each part with NUL)
  expect(value.get('run_cost_12167a47.accuracy')).toBe(metrics.scores['run.cost']!.accuracy);
});
