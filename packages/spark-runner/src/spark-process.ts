// Running spark-submit: where it is, its environment (Java, PySpark's Python, loopback in local
// mode), its output passed on line by line, its failure with its last lines.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PlexusError } from '@plexus/core';

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
    let failure: string | undefined;
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        tail.splice(0, tail.length - 30);
        failure ??= workerFailure(line);
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
        // A task's worker failing is what the user must read, not the JVM's stack that follows.
        const why = failure ? ` a task's plexus worker failed: ${failure}` : '';
        reject(
          new RunnerError(
            `spark-submit exited with ${code}:${why}\n${reason || tail.slice(-10).join('\n')}`,
          ),
        );
      }
    });
  });
}

/**
 * What a task's Node worker died with, from the Python traceback Spark prints
 * (`RuntimeError: plexus worker exited with 2: plexus worker: <message>`); Spark's own stack
 * lines follow it by the hundred, so it was never among the last lines a failure quoted.
 */
export function workerFailure(line: string): string | undefined {
  const match = /plexus worker exited with \d+: (?:plexus worker: )?(.+)$/.exec(line);
  return match?.[1]?.trim() || undefined;
}
