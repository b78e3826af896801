import { errorMessage } from '../common/errors.js';
import type { RunTotals } from '../metrics/run-metrics.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { writeReport } from '../report/write-report.js';
import type { RunEndStatusV1, RunSummaryV1 } from '../spec/run-sink-spec.js';
import type { CoreSinks } from './core-sinks.js';
import type { DataProvenance } from './provenance.js';
import type { ResultLine } from './result-line.js';
import type { OpenedRun, StreamEnd } from './run-stream.js';
import type { SinkSet } from './sink-set.js';

/** What the item source read, for run.json and the summary. */
export interface SourceCounts {
  items: number;
  malformedRows: number;
  /** Data rows of the dataset (for provenance), or why they are unknown, once the run ended so. */
  rows(status: RunEndStatusV1): number | { unknown: string };
  /** Ids of items with stored results that the run never read (see `strayMessage`). */
  strays?(): string[];
}

/**
 * Why a completed resume whose results.jsonl holds items it never read is not complete: lines of
 * another run or dataset added to it (`cat a/results.jsonl >> b/results.jsonl`) were counted in
 * the metrics beside the run's own ("5 items, 6 results").
 */
function strayMessage(strays: readonly string[]): string {
  const shown = strays.slice(0, 3).map((id) => JSON.stringify(id.slice(0, 40)));
  const more = strays.length > 3 ? `, and ${strays.length - 3} more` : '';
  return `results.jsonl holds results of ${strays.length} item(s) that are not among the run's items (${shown.join(', ')}${more}): lines of another run or dataset were added to it, and the metrics counted them. Start a new run with --out, or remove those lines and resume`;
}

/** An item source as the run sees it: its result lines and what it counted while they came. */
export interface LineSource {
  /** One at a time or in groups (the engine's). */
  lines: AsyncIterable<ResultLine | readonly ResultLine[]>;
  counts: SourceCounts;
}

export interface RunEnd {
  run: OpenedRun;
  end: StreamEnd;
  counts: SourceCounts;
  core: CoreSinks;
  sinks: SinkSet;
  scorecard: string;
  ended: Date;
  /** Seed of the bootstrap intervals. */
  seed: number;
  /** Why the run was interrupted, when the signal said. */
  interruption: string | undefined;
  /** Problems that did not change the results (a cache that could not write, stored results scored again). */
  warnings: string[];
}

/**
 * Ends a run: writes `metrics.json` and the final `run.json`, closes the folder (releasing its
 * lock), writes `report.html`, then gives the summary to every sink's `finish` (trackers read the
 * closed folder there).
 */
export async function endRun(context: RunEnd): Promise<RunSummaryV1> {
  const { folder } = context.run;
  // Every line is appended: they reach the disk while the metrics are computed.
  folder.startSync();
  const scores = context.core.metrics.finish(context.seed);
  const data = await context.core.provenance.finish(context.counts.rows(context.end.status));
  // A dataset changed while it was read: the run is not complete, whatever it read (an interrupted
  // or failed run is refused on resume by its hash).
  const strays = context.end.status === 'completed' ? (context.counts.strays?.() ?? []) : [];
  if (strays.length > 0) context.end = { status: 'failed', failure: strayMessage(strays) };
  const { changed } = context.core.provenance;
  if (changed !== undefined && context.end.status === 'completed')
    context.end = {
      status: 'failed',
      failure: `${changed}. Run it again into a new folder (--out) once the file no longer changes`,
    };
  const durationS = (context.ended.getTime() - Date.parse(context.run.start.startedAt)) / 1000;
  writeRunInfo(context, data, durationS);
  await folder.writeMetrics({
    scorecard: context.scorecard,
    items: context.counts.items,
    scores,
    cost: costOf(context.core.metrics.totals),
    duration_s: durationS,
  });
  await folder.close();
  const summary = summaryOf(context, { scores, durationS, data: folder.info.data });
  await writeRunReport(summary, context.core);
  await context.sinks.finish(summary);
  return summary;
}

function costOf(totals: RunTotals) {
  return {
    usd: totals.cost_usd,
    unpriced_models: totals.unpriced_models,
    input_tokens: totals.input_tokens,
    output_tokens: totals.output_tokens,
    ...(totals.tokens_unknown_results
      ? { tokens_unknown_results: totals.tokens_unknown_results }
      : {}),
    llm_calls: totals.llm_calls,
    retries: totals.retries,
    // What results scored again on a resume paid, included above (replaced.jsonl holds them).
    ...(totals.replaced_results > 0 ? { replaced_results: totals.replaced_results } : {}),
  };
}

/** The final run.json: status, end, counts, provenance, error and warnings. */
function writeRunInfo(context: RunEnd, data: DataProvenance, durationS: number): void {
  const { folder, path } = context.run;
  const totals = context.core.metrics.totals;
  folder.info = {
    ...folder.info,
    data: { ...folder.info.data, path, ...data },
    status: context.end.status,
    ended_at: context.ended.toISOString(),
    duration_s: durationS,
    counts: {
      items: context.counts.items,
      results: totals.results,
      errors: totals.errors,
      skipped: totals.skipped,
      malformed_rows: context.counts.malformedRows,
      cache_hits: totals.cache_hits,
    },
    counts_unknown: undefined, // counted here: an earlier end's unknown counts are replaced
    error: context.end.failure ?? context.interruption ?? null,
  };
  if (context.warnings.length > 0) folder.info.warnings = context.warnings;
}

function summaryOf(
  context: RunEnd,
  values: {
    scores: Record<string, ScoreMetrics>;
    durationS: number;
    data: RunSummaryV1['data'];
  },
): RunSummaryV1 {
  const totals = context.core.metrics.totals;
  const { failure } = context.end;
  return {
    id: context.run.start.id,
    dir: context.run.start.dir,
    report: null,
    status: context.end.status,
    items: context.counts.items,
    results: totals.results,
    errors: totals.errors,
    skipped: totals.skipped,
    malformedRows: context.counts.malformedRows,
    cacheHits: totals.cache_hits,
    durationS: values.durationS,
    scores: values.scores,
    costUsd: totals.cost_usd,
    unpricedModels: totals.unpriced_models,
    llmCalls: totals.llm_calls,
    retries: totals.retries,
    ...(totals.replaced_results > 0 ? { replacedResults: totals.replaced_results } : {}),
    data: values.data,
    ...(failure ? { error: failure } : {}),
    ...(context.warnings.length > 0 ? { warnings: context.warnings } : {}),
  };
}

/** Writes report.html into the summary; a failure is said with the command that retries it. */
async function writeRunReport(summary: RunSummaryV1, core: CoreSinks): Promise<void> {
  try {
    summary.report = await writeReport(summary.dir, { rows: core.reportRows });
  } catch (error) {
    // The run is complete and stored; a report can be written later with `plexus report`.
    summary.reportError = `report.html could not be written (${errorMessage(error)}); retry with: plexus report ${summary.dir}`;
  }
}
