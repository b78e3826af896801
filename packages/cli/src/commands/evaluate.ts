import {
  evaluate,
  InvalidConfigError,
  type LoadedScore,
  selectScores,
  shellWord,
} from '@plexus/core';
import type { Command } from 'commander';
import { collect, positiveNumber, wholeNumber } from '../arguments.js';
import { closeCard } from '../close-card.js';
import { feedbackGoldSource, type GoldFlags } from '../feedback-gold.js';
import { onInterrupt } from '../interrupt.js';
import { type CliIo, skippedRowLine } from '../output.js';
import { ownStdout } from '../own-stdout.js';
import { Progress } from '../progress.js';
import { progressTotal } from '../progress-total.js';
import { resumeFlags, resumesBatches } from '../resume-flags.js';
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

interface EvaluateFlags extends GoldFlags {
  data?: string;
  score?: string[];
  limit?: number;
  sample?: number;
  seed: number;
  stratify?: string;
  concurrency?: number;
  batch?: boolean;
  maxUsd?: number;
  maxTokens?: number;
  out?: string;
  resume?: string;
  retryErrors?: boolean;
  cache: boolean;
  cacheDir?: string;
  json?: boolean;
  quiet?: boolean;
  tracker?: string;
  maxErrorRate: number;
  tracePrompts: boolean;
}

const shownProblems = 20;

export function evaluateCommand(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('evaluate')
    .description('score a dataset with a scorecard, write a run folder and print a summary')
    .argument('<scorecard>', 'scorecard file (YAML or JSON)')
    .option('--data <file>', 'dataset (CSV, JSONL or Parquet); default the scorecard data.path')
    .option('--score <name>', 'run only this score and what it depends on (repeatable)', collect)
    .option('--limit <n>', 'score only the first N items', wholeNumber('--limit'))
    .option('--sample <n>', 'score a random sample of N items', wholeNumber('--sample'))
    .option('--seed <s>', 'seed for --sample', wholeNumber('--seed', 0), 0)
    .option('--stratify <score>', "with --sample: keep the proportions of this score's gold labels")
    .option(
      '--concurrency <n>',
      'calls in flight per score: batches, and LLM requests unless the scorecard sets a lower max_concurrency',
      wholeNumber('--concurrency'),
    )
    .option(
      '--batch',
      "LLM scores on provider openai (OpenAI, Azure OpenAI) send their requests through the Batch API: half the price, answers within 24 h; a killed run re-attaches with --resume (a score's execution: sync keeps it synchronous)",
    )
    .option(
      '--max-usd <usd>',
      'run budget in US dollars, never exceeded (each LLM call reserves its worst case before it is sent); every LLM score needs a price (pricing:)',
      positiveNumber('--max-usd'),
    )
    .option(
      '--max-tokens <n>',
      'run budget in tokens (input + output), never exceeded; needs no price',
      wholeNumber('--max-tokens'),
    )
    .option('--out <dir>', 'run folder; default runs/<timestamp>-<scorecard key>')
    .option(
      '--resume <dir>',
      'continue the run in this folder, with the scorecard it ran (a score changed since is scored again); its --score, --limit and --sample unless given again (a smaller --limit or another --sample is refused)',
    )
    .option(
      '--retry-errors',
      'with --resume: score again the items whose result is an error (budget_exhausted included); ok results are kept',
    )
    .option('--no-cache', 'do not read or write the result cache')
    .option(
      '--no-trace-prompts',
      "keep LLM prompts and raw answers out of results.jsonl's traces (kept by default: 8 KB per call, secrets redacted)",
    )
    .option('--cache-dir <dir>', 'cache folder; default $PLEXUS_CACHE_DIR or ~/.cache/plexus')
    .option('--tracker <kind>', 'local, or mlflow (default when MLFLOW_TRACKING_URI is set)')
    .option('--json', 'print the run summary as JSON on stdout')
    .option(
      '--quiet',
      'print only problems: no progress, no table, no run folder line (name it with --out)',
    )
    .option(
      '--gold <source>',
      "dataset, or feedback: every score's gold from reviews (plexus feedback import); default: the dataset, and reviews for scores with gold: feedback",
    )
    .option(
      '--gold-rule <rule>',
      'with gold from reviews: latest (the most recent review) or majority (of the reviewers; ties have no gold and are listed)',
      'latest',
    )
    .option(
      '--feedback-db <path>',
      'the feedback database; default $PLEXUS_FEEDBACK_DB, else ./feedback.sqlite',
    )
    .option(
      '--max-error-rate <share>',
      "exit 3 when a score's errors exceed this share of the items due an answer",
      errorRate,
      defaultMaxErrorRate,
    )
    .addHelpText('after', exitCodesHelp)
    .action(async (path: string, flags: EvaluateFlags) => {
      // stdout holds only the summary (JSON with --json): a score package's prints go to stderr.
      const own = ownStdout(io);
      try {
        await runEvaluate(path, flags, own.io, setExit);
      } finally {
        own.restore();
      }
    });
}

/** `plexus evaluate`, with the io it prints through. */
async function runEvaluate(
  path: string,
  flags: EvaluateFlags,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  if (flags.retryErrors && flags.resume === undefined) {
    throw new InvalidConfigError([
      { path: '--retry-errors', message: 'goes with --resume RUN_FOLDER' },
    ]);
  }
  if (flags.stratify !== undefined && flags.sample === undefined) {
    throw new InvalidConfigError([{ path: '--stratify', message: 'goes with --sample N' }]);
  }
  await resumeFlags(flags, io);
  const card = await loadForCli(path, {
    cacheDir: flags.cacheDir,
    cache: flags.cache,
    requestConcurrency: flags.concurrency,
    // A resumed batch run stays one: its open batches are re-attached, never paid again.
    ...(flags.batch || resumesBatches(flags.resume) ? { execution: 'batch' as const } : {}),
    runBudget:
      flags.maxUsd === undefined && flags.maxTokens === undefined
        ? undefined
        : { maxUsd: flags.maxUsd, maxTokens: flags.maxTokens },
    // Before any item is scored: only the selected scores, checked against the dataset (a
    // resumed run's dataset was checked when it started).
    scores: flags.score,
    checkData: flags.data ?? flags.resume === undefined,
    warn: (line) => io.stderr(line),
  });
  const gold = await feedbackGoldSource(selectScores(card.scores, flags.score), flags, io);
  // A first Ctrl-C lets the calls in flight finish (they are paid for) and stores them.
  const interrupt = onInterrupt(io, 'finishing calls in flight');
  const progress = new Progress({
    io,
    enabled: !flags.quiet && !flags.json,
    scoresPerItem: selectScores(card.scores, flags.score).length,
  });
  // Counted while the run starts: a large file's count does not delay the first item.
  if (!flags.quiet && !flags.json)
    void progressTotal(card, flags).then((total) => progress.setTotal(total));
  let problems = 0;
  try {
    const attached = await cliSinks({ kind: trackerKind(flags.tracker), progress, io });
    const summary = await evaluate({
      scorecard: card,
      data: flags.data,
      scores: flags.score,
      limit: flags.limit,
      sample: flags.sample
        ? { size: flags.sample, seed: flags.seed, stratify: flags.stratify }
        : undefined,
      concurrency: flags.concurrency,
      outDir: flags.out,
      resumeDir: flags.resume,
      retryErrors: flags.retryErrors,
      cache: flags.cache,
      cacheDir: flags.cacheDir,
      tracePrompts: flags.tracePrompts,
      gold,
      drain: interrupt.signal,
      sinks: attached.sinks,
      onWarning: (message) => io.stderr(`warning: ${message}\n`),
      onDatasetProblem: (problem) => {
        problems += 1;
        if (problems <= shownProblems)
          io.stderr(skippedRowLine(flags.data ?? card.data?.path ?? 'data', problem));
      },
    });
    progress.done();
    if (problems > shownProblems)
      io.stderr(
        `… and ${problems - shownProblems} more skipped rows, listed in ${summary.dir}/dataset-errors.jsonl\n`,
      );
    const tracked = attached.tracked();
    if (tracked) reportTracking(tracked, summary.dir, io);
    if (flags.json) {
      io.stdout(
        `${JSON.stringify(tracked ? { ...summary, mlflow: tracked } : summary, null, 2)}\n`,
      );
    } else if (!flags.quiet) {
      io.stdout(`${formatSummaryTable(summary)}\n\n`);
      for (const note of errorNotes(summary)) io.stdout(`${note}\n`);
      const models = modelLines(selectScores(card.scores, flags.score));
      if (models) io.stdout(`${models}\n`);
      io.stdout(
        `${plural(summary.items, 'item')}, ${plural(summary.results, 'result')}, ${plural(summary.errors, 'error')}, ${plural(summary.malformedRows, 'row')} skipped, ${summary.cacheHits} from cache, ${plural(summary.llmCalls, 'LLM call')} (${summary.retries} retried${replacedNote(summary)}), ${summary.durationS.toFixed(1)} s${flags.resume === undefined ? '' : ' this resume (the counts are the whole run)'}\n`,
      );
      io.stdout(`Run folder: ${summary.dir}\n`);
      if (summary.report) io.stdout(`Report: ${summary.report}\n`);
    }
    if (summary.reportError) io.stderr(`${summary.reportError}\n`);
    if (summary.status === 'interrupted') {
      io.stderr(
        `Run interrupted; continue it with: plexus evaluate ${shellWord(path)} --resume ${shellWord(summary.dir)}\n`,
      );
      setExit(1);
    } else if (summary.status === 'failed') {
      io.stderr(
        `Run failed: ${summary.error}\nResults so far are in ${summary.dir}; ${nextStep(summary)}\n`,
      );
      setExit(1);
    } else {
      const outcome = runOutcome(summary, flags.maxErrorRate);
      for (const reason of outcome.reasons)
        io.stderr(`Run completed, exit ${outcome.exitCode}: ${reason}\n`);
      if (summary.errors > 0 && outcome.exitCode !== 0)
        io.stderr(
          `Score the failed items again with: plexus evaluate ${shellWord(path)} --resume ${shellWord(summary.dir)} --retry-errors\n`,
        );
      setExit(outcome.exitCode);
    }
  } finally {
    interrupt.dispose();
    await closeCard(card, io);
  }
}

/**
 * What to do after a failed run: resume it, unless a resume would fail again: a dataset that
 * changed while it was read (its hash is of neither file), lines of other items in results.jsonl.
 */
function nextStep(summary: { dir: string; error?: string }): string {
  if (summary.error?.includes('changed while it was read'))
    return 'they are of a dataset that changed';
  if (summary.error?.includes("not among the run's items"))
    return 'remove the lines of the other items before a resume';
  return `continue with --resume ${shellWord(summary.dir)}`;
}

/** The calls a resume paid for results it scored again, when there are some (see `replacedResults`). */
function replacedNote(summary: { replacedResults?: number }): string {
  const replaced = summary.replacedResults;
  return replaced ? `; including ${plural(replaced, 'result')} scored again` : '';
}

/** "Models: A, B: x.gguf; C: y.onnx", grouping the scores that run on the same model. */
function modelLines(scores: readonly LoadedScore[]): string | undefined {
  const byModel = new Map<string, string[]>();
  for (const entry of scores) {
    const model = entry.score?.model;
    if (model) byModel.set(model, [...(byModel.get(model) ?? []), entry.name]);
  }
  if (byModel.size === 0) return undefined;
  return `Models: ${[...byModel].map(([model, names]) => `${names.join(', ')}: ${model}`).join('; ')}`;
}
