import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  assertNewRunFolder,
  evaluate,
  externalResults,
  firstLineNotUtf8,
  InvalidConfigError,
  type RunSummary,
} from '@plexus/core';
import { inputFormat, type SparkOptions, sparkFiles, submitArguments } from './spark-job.js';
import { sparkSubmit } from './spark-process.js';
import { readSparkResults } from './spark-results.js';

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
