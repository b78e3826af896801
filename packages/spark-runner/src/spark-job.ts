// A Spark job of this package: its options, the files it ships (the worker bundles, the PySpark
// jobs and their modules) and its spark-submit arguments.
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultCacheDir,
  formatOf,
  hashValue,
  InvalidConfigError,
  type LoadedScorecard,
  type RunSinkV1,
} from '@plexus/core';
import { registryFiles } from './registry-models.js';
import { RunnerError } from './spark-process.js';

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
  /**
   * The files of the scorecard's `models:/` URIs, resolved on the driver (URI -> file; the CLI
   * gives those its scorecard load downloaded, `resolvedModels()` of `@plexus/mlflow-tracker`):
   * the executors load them and never talk to MLflow, so every task scores with one version.
   * The files must be readable by the executors (in the shared `cacheDir` on a cluster).
   */
  models?: Readonly<Record<string, string>>;
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
 * The modules both jobs import, shipped with `--py-files` (for the driver in cluster mode and the
 * executors): row numbers (`rows`, beside the job unless named), the Node workers' I/O and the
 * input reading, beside the job.
 */
export function pyFiles(files: { job: string; rows?: string }): string[] {
  const folder = dirname(files.job);
  return [
    files.rows ?? join(folder, 'plexus_spark_rows.py'),
    join(folder, 'plexus_spark_worker.py'),
    join(folder, 'plexus_spark_input.py'),
  ];
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
    pyFiles(files).join(','),
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
  const models = registryFiles(options.scorecard, options.models);
  if (Object.keys(models).length > 0) args.push('--models', JSON.stringify(models));
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
