import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultCacheDir,
  evaluate,
  formatOf,
  InvalidConfigError,
  type LoadedScorecard,
  PlexusError,
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
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** The one-file worker and the PySpark job shipped with this package. */
export function sparkFiles(): { worker: string; job: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/index.js finds dist/worker.mjs beside it; the sources (tests) find the built one.
  const worker =
    [join(here, 'worker.mjs'), resolve(here, '../dist/worker.mjs')].find(existsSync) ??
    join(here, 'worker.mjs');
  const job = resolve(here, '../python/plexus_spark_job.py');
  if (!existsSync(worker))
    throw new RunnerError(`${worker} is missing: build @plexus/spark-runner (pnpm build)`);
  return { worker, job };
}

/** The job's input format: core's (by extension), `.json` as JSON lines, folders as Parquet. */
function inputFormat(path: string): 'parquet' | 'jsonl' | 'csv' {
  const format =
    formatOf(path) ??
    (extname(path) === '.json' ? 'jsonl' : extname(path) === '' ? 'parquet' : undefined);
  if (!format)
    throw new InvalidConfigError([
      { path: '--input', message: `cannot read ${extname(path)} files; use Parquet, JSONL or CSV` },
    ]);
  return format;
}

/** The spark-submit arguments of a job. */
export function submitArguments(
  options: SparkOptions,
  files: { worker: string; job: string },
): string[] {
  const args = ['--master', options.master ?? 'local[2]', '--conf', 'spark.ui.enabled=false'];
  for (const [key, value] of Object.entries(options.conf ?? {}))
    args.push('--conf', `${key}=${value}`);
  args.push(
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
  );
  if (options.partitions) args.push('--partitions', String(options.partitions));
  return args;
}

/** Runs spark-submit, passing its output line by line; rejects with the last lines when it fails. */
function submit(command: string, args: readonly string[], options: SparkOptions): Promise<void> {
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
  const files = sparkFiles();
  const command = options.sparkSubmit ?? process.env.SPARK_SUBMIT ?? 'spark-submit';
  const env = { ...(options.env ?? process.env) };
  // pyspark installed with pip: its spark-submit sits beside the Python that has pyspark and pyarrow.
  const venvPython = join(dirname(command), 'python');
  if (!env.PYSPARK_PYTHON && command.includes('/') && existsSync(venvPython))
    env.PYSPARK_PYTHON = venvPython;
  // Local mode: bind to loopback (no lookups of the host name), and find Java from the PATH.
  if ((options.master ?? 'local[2]').startsWith('local')) env.SPARK_LOCAL_IP ??= '127.0.0.1';
  env.JAVA_HOME ??= javaHome();
  await submit(command, submitArguments(options, files), { ...options, env });
  const runDir =
    options.runDir ??
    join(
      'runs',
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${options.scorecard.key}-spark`,
    );
  return evaluate({
    scorecard: options.scorecard,
    data: options.input,
    outDir: runDir,
    results: readSparkResults(resolve(options.output)),
  });
}
