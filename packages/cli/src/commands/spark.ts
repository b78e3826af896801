import { closeScorecard, defaultCacheDir, type LoadedScorecard } from '@plexus/core';
import type { Command } from 'commander';
import { collect, confOf, wholeNumber } from '../arguments.js';
import type { CliIo } from '../output.js';
import {
  defaultMaxErrorRate,
  errorNotes,
  errorRate,
  exitCodesHelp,
  runOutcome,
} from '../run-outcome.js';
import { loadForCli } from '../scorecard.js';
import { formatSummaryTable, plural } from '../summary-table.js';
import { cliSinks, reportTracking, trackerKind } from '../tracking.js';
import { sparkTrainCommand } from './spark-train.js';

interface SparkFlags {
  input: string;
  output: string;
  master: string;
  partitions?: number;
  tasks?: number;
  batch?: boolean;
  sparkSubmit?: string;
  conf?: string[];
  node?: string;
  cacheDir?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  tracker?: string;
  maxErrorRate: number;
}

/**
 * The files of the scorecard's `models:/` URIs: the versions its load resolved here (a URI read
 * only at the first call, a local GGUF model, resolved now), said on stderr. The executors load
 * these files: they never talk to MLflow, and an alias moved during the job changes nothing.
 */
async function driverModels(
  card: LoadedScorecard,
  uris: readonly string[],
  cacheDir: string | undefined,
  io: CliIo,
): Promise<Record<string, string>> {
  if (uris.length === 0 || !process.env.MLFLOW_TRACKING_URI) return {};
  const tracker = await import('@plexus/mlflow-tracker');
  const resolver = tracker.mlflowModelResolver({ cacheDir: cacheDir ?? defaultCacheDir() });
  const models: Record<string, string> = {};
  for (const uri of uris) {
    models[uri] = tracker.resolvedModels().get(uri)?.path ?? (await resolver(uri));
    const version = tracker.resolvedModels().get(uri)?.version;
    io.stderr(`${card.name}: ${uri} is version ${version} on every executor (${models[uri]})\n`);
  }
  return models;
}

/** `plexus spark submit`. */
export function sparkCommand(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void = () => {},
): void {
  const spark = program
    .command('spark')
    .description('run scorecards and train forests on Apache Spark');
  sparkTrainCommand(spark, io);
  spark
    .command('submit')
    .description(
      'score a dataset on Spark (one Node worker per task), then write the run folder and metrics here',
    )
    .argument(
      '<scorecard>',
      'scorecard file (YAML or JSON), readable by the executors at the same path',
    )
    .requiredOption('--input <path>', 'dataset: Parquet (file or folder), JSONL or CSV')
    .requiredOption('--output <path>', 'folder for the Parquet results (overwritten)')
    .option('--master <url>', 'Spark master', 'local[2]')
    .option(
      '--partitions <n>',
      'repartition the input (one worker per partition)',
      wholeNumber('--partitions'),
    )
    .option(
      '--tasks <n>',
      "tasks that run at once; each score's max_concurrency, requests_per_minute and tokens_per_minute are for the whole job, each task keeps limit / N (default N: min(partitions, executor cores / spark.task.cpus))",
      wholeNumber('--tasks'),
    )
    .option(
      '--batch',
      "LLM scores on provider openai use the Batch API (half the price); each partition's batches are recorded in the cache folder, so a retried task or the same job submitted again re-attaches to them",
    )
    .option(
      '--spark-submit <path>',
      'spark-submit to call; default $SPARK_SUBMIT or spark-submit on the PATH',
    )
    .option('--conf <key=value>', 'Spark setting (repeatable)', collect)
    .option('--node <path>', 'Node binary on the executors; default this one')
    .option('--cache-dir <dir>', 'cache shared by the executors (task retries reuse it)')
    .option('--out <dir>', 'local run folder; default runs/<timestamp>-<key>-spark')
    .option('--tracker <kind>', 'local, or mlflow (default when MLFLOW_TRACKING_URI is set)')
    .option('--json', 'print the run summary as JSON on stdout')
    .option('--quiet', 'do not pass on Spark progress')
    .option(
      '--max-error-rate <share>',
      "exit 3 when a score's errors exceed this share of the items due an answer",
      errorRate,
      defaultMaxErrorRate,
    )
    .addHelpText('after', exitCodesHelp)
    .action(async (path: string, flags: SparkFlags) => {
      const card = await loadForCli(path, { cacheDir: flags.cacheDir });
      await closeScorecard(card);
      const { runOnSpark, registryUris } = await import('@plexus/spark-runner');
      const uris = [...new Set([...registryUris(card).values()].flat())];
      const models = await driverModels(card, uris, flags.cacheDir, io);
      // Executors never log to MLflow: the driver side does, as it reads the results back.
      const attached = await cliSinks({ kind: trackerKind(flags.tracker), io });
      const summary = await runOnSpark({
        scorecard: card,
        input: flags.input,
        output: flags.output,
        master: flags.master,
        partitions: flags.partitions,
        tasks: flags.tasks,
        batch: flags.batch,
        sparkSubmit: flags.sparkSubmit,
        conf: confOf(flags.conf ?? []),
        node: flags.node,
        cacheDir: flags.cacheDir,
        models,
        runDir: flags.out,
        sinks: attached.sinks,
        onOutput: (line) => {
          if (!flags.quiet && (line.startsWith('plexus') || /ERROR|Exception/.test(line)))
            io.stderr(`${line}\n`);
        },
      });
      const tracked = attached.tracked();
      if (tracked) reportTracking(tracked, summary.dir, io);
      if (flags.json)
        io.stdout(
          `${JSON.stringify(tracked ? { ...summary, mlflow: tracked } : summary, null, 2)}\n`,
        );
      else {
        io.stdout(`${formatSummaryTable(summary)}\n\n`);
        for (const note of errorNotes(summary)) io.stdout(`${note}\n`);
        io.stdout(
          // In plexus evaluate's words: the rows are the same (unreadable, or repeating an id).
          `${plural(summary.items, 'item')}, ${plural(summary.results, 'result')}, ${plural(summary.errors, 'error')}, ${plural(summary.malformedRows, 'row')} skipped\n`,
        );
        io.stdout(`Spark results: ${flags.output}\nRun folder: ${summary.dir}\n`);
        if (summary.report) io.stdout(`Report: ${summary.report}\n`);
      }
      if (summary.status !== 'completed') {
        io.stderr(`Run ${summary.status}${summary.error ? `: ${summary.error}` : ''}\n`);
        setExit(1);
        return;
      }
      const outcome = runOutcome(summary, flags.maxErrorRate);
      for (const reason of outcome.reasons)
        io.stderr(`Run completed, exit ${outcome.exitCode}: ${reason}\n`);
      setExit(outcome.exitCode);
    });
}
