import { spawn } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertNewRunFolder,
  defaultCacheDir,
  evaluate,
  externalResults,
  firstLineNotUtf8,
  formatOf,
  hashValue,
  InvalidConfigError,
  type LoadedScorecard,
  PlexusError,
  type RunSinkV1,
  type RunSummary,
} from '@plexus/core';
import { readSparkResults } from './spark-results.js';

/** JAVA_HOME from the `java` on the PATH, if any. */
function javaHome(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(':')) {
    const java = join(folder, 'java');
    if (existsSync(java)) return dirname(dirname(realpathSync(java)));
  }
  return undefined;
}

/** A Spark job that failed or could not start. */
export class RunnerError extends PlexusError {}

export interface SparkOptions {
  /** The scorecard, loaded (the job reads the same file on the executors). */
  scorecard: LoadedScorecard;
  /** Dataset: Parquet (file or folder), JSONL or CSV. */
  input: string;
  /** Output folder for the job's Parquet results (overwritten). */
  output: string;
  /** Spark master; default `local[2]`. */
  master?: string;
  /** Repartition the input into this many partitions (one Node worker each). */
  partitions?: number;
  /**
   * Tasks that run at once, among which each score's request limits are divided; default from
   * the cluster: min(partitions, executor cores / spark.task.cpus).
   */
  tasks?: number;
  /**
   * LLM scores on `provider: openai` use the Batch API (see classifier-llm). Each partition's
   * batches are recorded under `<cacheDir>/batches/<job>/`: a retried task, or the same job
   * submitted again after a failure, re-attaches to them instead of paying twice.
   */
  batch?: boolean;
  /** spark-submit to call; default `$SPARK_SUBMIT`, else `spark-submit` on the PATH. */
  sparkSubmit?: string;
  /** Extra `--conf key=value` settings. */
  conf?: Readonly<Record<string, string>>;
  /** Node binary on the executors; default this process's. */
  node?: string;
  /** Cache folder shared by the executors (a shared filesystem on clusters): retries reuse it. */
  cacheDir?: string;
  /** Local run folder for results, metrics and report; default `runs/<timestamp>-<key>-spark`. */
  runDir?: string;
  /** Each line Spark and the job print (progress, logs). */
  onOutput?: (line: string) => void;
  /**
   * Sinks of the local run that reads the results back (`RunSinkV1`), e.g. `mlflowTracker()`:
   * executors never log to MLflow, the driver side does, once the job is done.
   */
  sinks?: readonly RunSinkV1[];
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** A one-file worker bundle of this package: dist/index.js finds it beside it, the sources (tests) the built one. */
function bundle(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const path =
    [join(here, name), resolve(here, '../dist', name)].find(existsSync) ?? join(here, name);
  if (!existsSync(path))
    throw new RunnerError(`${path} is missing: build @plexus/spark-runner (pnpm build)`);
  return path;
}

function pythonFile(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../python', name);
}

/** The one-file workers and the PySpark jobs shipped with this package. */
export function sparkFiles(): {
  worker: string;
  job: string;
  trainWorker: string;
  trainJob: string;
  rows: string;
} {
  return {
    worker: bundle('worker.mjs'),
    job: pythonFile('plexus_spark_job.py'),
    trainWorker: bundle('train-worker.mjs'),
    trainJob: pythonFile('plexus_spark_train.py'),
    // Row numbers as a local read gives them, imported by both jobs (shipped with --py-files).
    rows: pythonFile('plexus_spark_rows.py'),
  };
}

/** The job's input format: core's (by extension), `.json` as JSON lines, folders as Parquet. */
export function inputFormat(path: string): 'parquet' | 'jsonl' | 'csv' {
  const format =
    formatOf(path) ??
    (extname(path) === '.json' ? 'jsonl' : extname(path) === '' ? 'parquet' : undefined);
  if (!format)
    throw new InvalidConfigError([
      { path: '--input', message: `cannot read ${extname(path)} files; use Parquet, JSONL or CSV` },
    ]);
  return format;
}

/**
 * A CSV or JSONL input with bytes that are not UTF-8 is refused before the job: Spark reads them
 * as U+FFFD and would score the garbled text, where a local read reports such rows one by one.
 */
async function refuseNotUtf8(input: string): Promise<void> {
  if (inputFormat(input) === 'parquet' || !existsSync(input) || statSync(input).isDirectory())
    return;
  const line = await firstLineNotUtf8(resolve(input));
  if (line === undefined) return;
  throw new InvalidConfigError([
    {
      path: '--input',
      message: `${input}:${line} has bytes that are not UTF-8 (a Latin-1 "é"?); Spark would read them as U+FFFD and score the garbled text: save the file as UTF-8 (in Excel: CSV UTF-8), or score it with plexus evaluate, which reports such rows one by one`,
    },
  ]);
}

/** The spark-submit arguments of a job. */
export function submitArguments(
  options: SparkOptions,
  files: { worker: string; job: string; rows?: string },
): string[] {
  const args = ['--master', options.master ?? 'local[2]', '--conf', 'spark.ui.enabled=false'];
  for (const [key, value] of Object.entries(options.conf ?? {}))
    args.push('--conf', `${key}=${value}`);
  args.push(
    '--py-files',
    // The module both jobs import (row numbers), beside the job unless named.
    files.rows ?? join(dirname(files.job), 'plexus_spark_rows.py'),
    files.job,
    '--input',
    resolve(options.input),
    '--output',
    resolve(options.output),
    '--scorecard',
    options.scorecard.path,
    '--worker',
    files.worker,
    '--node',
    options.node ?? process.execPath,
    '--cache-dir',
    resolve(options.cacheDir ?? defaultCacheDir()),
    '--format',
    inputFormat(options.input),
    // Rows are grouped by id on Spark, so that a repeated id is a problem as in a local read.
    '--id-column',
    options.scorecard.data?.id_column ?? 'id',
  );
  if (options.partitions) args.push('--partitions', String(options.partitions));
  if (options.tasks) args.push('--tasks', String(options.tasks));
  if (options.batch) {
    // The same scorecard, input and output is the same job: its records are found again.
    const job = hashValue({
      scorecard: options.scorecard.hash,
      input: resolve(options.input),
      output: resolve(options.output),
    }).slice(0, 16);
    args.push('--batch', '--job-key', job);
  }
  return args;
}

/** What running spark-submit needs: where it is and how to report. */
export interface SubmitOptions {
  master?: string;
  sparkSubmit?: string;
  env?: NodeJS.ProcessEnv;
  onOutput?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Runs spark-submit with these arguments, passing its output line by line; rejects with the last
 * lines when it fails. Local mode binds to loopback and finds Java and PySpark's Python itself.
 */
export function sparkSubmit(args: readonly string[], options: SubmitOptions): Promise<void> {
  const command = options.sparkSubmit ?? process.env.SPARK_SUBMIT ?? 'spark-submit';
  const env = { ...(options.env ?? process.env) };
  // pyspark installed with pip: its spark-submit sits beside the Python that has pyspark and pyarrow.
  const venvPython = join(dirname(command), 'python');
  if (!env.PYSPARK_PYTHON && command.includes('/') && existsSync(venvPython))
    env.PYSPARK_PYTHON = venvPython;
  if ((options.master ?? 'local[2]').startsWith('local')) env.SPARK_LOCAL_IP ??= '127.0.0.1';
  env.JAVA_HOME ??= javaHome();
  return submit(command, args, { ...options, env });
}

function submit(command: string, args: readonly string[], options: SubmitOptions): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        tail.splice(0, tail.length - 30);
        options.onOutput?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const abort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.once('error', (error) =>
      reject(
        new RunnerError(
          `cannot run ${command} (${error.message}); install Spark or pyspark, or pass --spark-submit PATH`,
          { cause: error },
        ),
      ),
    );
    child.once('close', (code) => {
      options.signal?.removeEventListener('abort', abort);
      if (code === 0) resolvePromise();
      else {
        const reason = tail
          .filter((line) => /Error|Exception|plexus/.test(line))
          .slice(-8)
          .join('\n');
        reject(
          new RunnerError(
            `spark-submit exited with ${code}:\n${reason || tail.slice(-10).join('\n')}`,
          ),
        );
      }
    });
  });
}

/**
 * Scores a dataset on Spark with the scorecard, then reads the results back into a local run
 * folder with the same `results.jsonl`, `metrics.json` and `report.html` as an in-process run.
 */
export async function runOnSpark(options: SparkOptions): Promise<RunSummary> {
  await refuseNotUtf8(options.input);
  const runDir =
    options.runDir ??
    join(
      'runs',
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${options.scorecard.key}-spark`,
    );
  // Before the job, not once its results are back: a folder that cannot take the run (it holds
  // one, or a file a run writes) was refused after the whole Spark job had run.
  assertNewRunFolder(runDir);
  let written: (() => void) | undefined;
  const resultsWritten = new Promise<void>((resolvePromise) => {
    written = resolvePromise;
  });
  const submitted = sparkSubmit(submitArguments(options, sparkFiles()), {
    ...options,
    onOutput: (line) => {
      // Printed once the output and its _SUCCESS marker are written: the results are read back
      // while Spark stops (its JVM takes seconds to shut down). A failing exit still fails the run.
      if (line.startsWith('plexus: results written to ')) written?.();
      options.onOutput?.(line);
    },
  });
  await Promise.race([submitted, resultsWritten]);
  // Awaited at the end of the results (untilExit); handled here so that a failure before then is
  // not an unhandled rejection.
  submitted.catch(() => {});
  const summary = await evaluate({
    scorecard: options.scorecard,
    data: options.input,
    outDir: runDir,
    items: externalResults(untilExit(readSparkResults(resolve(options.output)), submitted)),
    sinks: options.sinks,
  });
  // The run ended `failed` when spark-submit did: its error is the command's.
  await submitted;
  return summary;
}

/**
 * The results read back, then spark-submit's exit: a failing exit (even after everything was read)
 * fails the item source, so core ends the run `failed` once, for the run folder and every sink.
 */
async function* untilExit<Line>(lines: AsyncIterable<Line>, submitted: Promise<unknown>) {
  yield* lines;
  await submitted;
}
