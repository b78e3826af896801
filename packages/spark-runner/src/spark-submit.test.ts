// runOnSpark with a stand-in for spark-submit (a shell script): no Spark needed.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { loadScorecard } from '@plexus/core';
import { expect, it } from 'vitest';
import { registryUris } from './registry-models.js';
import { sparkFiles, submitArguments } from './spark-job.js';
import { RunnerError } from './spark-process.js';
import { runOnSpark } from './spark-submit.js';

async function setup(script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-submit-'));
  const submit = join(dir, 'fake-spark-submit');
  writeFileSync(submit, `#!/bin/sh\n${script}\n`);
  chmodSync(submit, 0o755);
  writeFileSync(join(dir, 'items.jsonl'), '{"id": "a", "text": "free prize"}\n');
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Fake\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], phrases: [free] }\n',
  );
  const scorecard = await loadScorecard(join(dir, 'card.yaml'), { plugins: [heuristic] });
  const output = join(dir, 'out');
  mkdirSync(output);
  writeFileSync(join(output, '_SUCCESS'), '');
  return {
    scorecard,
    input: join(dir, 'items.jsonl'),
    output,
    runDir: join(dir, 'run'),
    sparkSubmit: submit,
    cacheDir: join(dir, 'cache'),
  };
}

it('fails the run when spark-submit fails after the job said its results were written', async () => {
  // The results are read back while Spark stops; its failing exit still fails the run.
  const options = await setup(
    'echo "plexus: results written to somewhere" >&2; sleep 0.5; echo "Exception: stopping failed" >&2; exit 1',
  );
  const ended: string[] = [];
  const failure = runOnSpark({
    ...options,
    sinks: [
      {
        specificationVersion: 'v1',
        name: 'test',
        add: () => {},
        finish: (summary) => void ended.push(summary.status),
      },
    ],
  });
  await expect(failure).rejects.toThrow(RunnerError);
  await expect(failure).rejects.toThrow('spark-submit exited with 1');
  // The run folder says so too: not `completed` beside a failing command.
  const info = JSON.parse(readFileSync(join(options.runDir, 'run.json'), 'utf8'));
  expect(info.status).toBe('failed');
  expect(info.error).toContain('spark-submit exited with 1');
  // Every sink (MLflow) hears the same end, once: never `completed`.
  expect(ended).toEqual(['failed']);
});

it('fails with the last lines of spark-submit when the job never wrote its results', async () => {
  const options = await setup('echo "Exception: no executors" >&2; exit 3');
  await expect(runOnSpark(options)).rejects.toThrow(/exited with 3:\nException: no executors/);
});

it("ships the job's modules with it (--py-files: row numbers, the workers' I/O, the input), beside the job unless named", async () => {
  const options = await setup('exit 0');
  const args = submitArguments(options, { worker: '/w/worker.mjs', job: '/p/plexus_spark_job.py' });
  const at = args.indexOf('--py-files');
  expect(args.slice(at, at + 3)).toEqual([
    '--py-files',
    '/p/plexus_spark_rows.py,/p/plexus_spark_worker.py,/p/plexus_spark_input.py',
    '/p/plexus_spark_job.py',
  ]);
  // The package's own files: the modules are shipped beside the job, and exist.
  const files = sparkFiles();
  const shipped = submitArguments(options, files)[at + 1]!.split(',');
  expect(shipped[0]).toBe(files.rows);
  for (const file of shipped) expect(existsSync(file)).toBe(true);
});

it("passes the scorecard's id column to the job (--id-column: rows are grouped by it)", async () => {
  const options = await setup('exit 0');
  const files = { worker: '/w/worker.mjs', job: '/p/plexus_spark_job.py' };
  const idColumn = (args: string[]) => args[args.indexOf('--id-column') + 1];
  expect(idColumn(submitArguments(options, files))).toBe('id');
  const card = join(dirname(options.input), 'ids.yaml');
  writeFileSync(
    card,
    'name: Ids\ndata: { id_column: call_id }\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], phrases: [free] }\n',
  );
  const scorecard = await loadScorecard(card, { plugins: [heuristic] });
  expect(idColumn(submitArguments({ ...options, scorecard }, files))).toBe('call_id');
});

it("names what a task's worker died of, not the JVM's stack lines that follow it", async () => {
  // As Spark prints a task whose Node worker exited: the Python traceback, then Java stacks.
  const stack = Array.from(
    { length: 40 },
    () => '\tat org.apache.spark.util.SparkErrorUtils.tryWithSafeFinally(SparkErrorUtils.scala:80)',
  ).join('\n');
  const options = await setup(
    `cat >&2 <<'END'\nRuntimeError: plexus worker exited with 2: plexus worker: card.yaml:4:99: scores[0].model: a model file is missing\n${stack}\nEND\nexit 1`,
  );
  const failure = runOnSpark(options);
  await expect(failure).rejects.toThrow(
    "spark-submit exited with 1: a task's plexus worker failed: card.yaml:4:99: scores[0].model: a model file is missing\n",
  );
});

it('a models:/ model the driver did not resolve is refused before the job: executors never ask MLflow', async () => {
  const options = await setup(`echo submitted > "$(dirname "$0")/submitted"; exit 1`);
  const card = join(dirname(options.input), 'registry.yaml');
  writeFileSync(
    card,
    'name: Registry\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham], model: "models:/spam.forest@champion" }\n  - { name: Old, class: forest/random-forest, labels: [spam, ham], model: "models:/spam.forest/1", disabled: true }\n',
  );
  const forestFile = join(dirname(options.input), 'downloaded.forest.json');
  // Loaded without creating the scores: the driver's load is not what is tested here.
  const scorecard = await loadScorecard(card, { create: false });
  // A disabled score's too: a worker's load resolves it as the driver's does.
  expect(registryUris(scorecard)).toEqual(
    new Map([
      ['Forest', ['models:/spam.forest@champion']],
      ['Old', ['models:/spam.forest/1']],
    ]),
  );
  await expect(runOnSpark({ ...options, scorecard })).rejects.toThrow(
    /scores\.Forest: models:\/spam\.forest@champion: Spark executors never talk to MLflow; the driver resolves registry models: set MLFLOW_TRACKING_URI/,
  );
  await expect(
    runOnSpark({
      ...options,
      scorecard,
      models: { 'models:/spam.forest@champion': forestFile, 'models:/spam.forest/1': forestFile },
    }),
  ).rejects.toThrow(
    `models:/spam.forest@champion was resolved to ${forestFile}, which does not exist`,
  );
  expect(existsSync(join(dirname(options.sparkSubmit), 'submitted'))).toBe(false);
  // Resolved: the job gets the file for the URI (--models), the worker loads it from there.
  writeFileSync(forestFile, '{}');
  const files = { worker: '/w/worker.mjs', job: '/p/plexus_spark_job.py' };
  const models = {
    'models:/spam.forest@champion': forestFile,
    'models:/spam.forest/1': forestFile,
    'models:/unused/1': forestFile,
  };
  const args = submitArguments({ ...options, scorecard, models }, files);
  expect(JSON.parse(args[args.indexOf('--models') + 1]!)).toEqual({
    'models:/spam.forest@champion': forestFile,
    'models:/spam.forest/1': forestFile,
  });
  expect(submitArguments(options, files)).not.toContain('--models');
});
