import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { readResultLines } from '../run/result-file.js';
import type { RunInfo, RunMetricsFile } from '../run/run-folder.js';

/**
 * Why a run folder's `metrics.json` is not the metrics of its `results.jsonl`, or undefined when
 * nothing says so. A run writes metrics.json when it ends; a resume rewrites results.jsonl at once
 * (a changed score's results are scored again) and clears run.json's `ended_at`. A resume that is
 * still going, was killed (`ended_at` still null) or failed before its end (a package's
 * process.exit: its lines on disk differ in number from metrics.json's `n_results`) leaves the
 * earlier end's metrics.json beside other results. `lines`: the results per score of
 * results.jsonl (undefined when not counted); compared only for a run that did not complete.
 */
export function staleMetricsReason(
  info: RunInfo,
  metrics: RunMetricsFile,
  lines?: ReadonlyMap<string, number>,
): string | undefined {
  if (info.ended_at === null)
    return `a resume began and did not end (the run is ${info.status}${info.error ? `: ${info.error}` : ''}), so metrics.json is of an earlier end`;
  // A completed run wrote metrics.json from the lines it ended with (a hand edit since is its own).
  if (!lines || info.status === 'completed') return undefined;
  const names = [...new Set([...Object.keys(metrics.scores), ...lines.keys()])];
  const differing = names.flatMap((name) => {
    const recorded = Object.hasOwn(metrics.scores, name) ? metrics.scores[name]!.n_results : 0;
    // A metrics.json older than `n_results` cannot say: not counted as a difference.
    if (typeof recorded !== 'number') return [];
    const counted = lines.get(name) ?? 0;
    return recorded === counted
      ? []
      : [`${name}: ${recorded} in metrics.json, ${counted} in results.jsonl`];
  });
  if (differing.length === 0) return undefined;
  const shown = differing.slice(0, 5).join('; ');
  const more = differing.length > 5 ? `; ${differing.length - 5} more scores` : '';
  return `the results differ in number (${shown}${more}; the run is ${info.status}${info.error ? `: ${info.error}` : ''})`;
}

/**
 * Refuses (bad input naming metrics.json, the reason and the fix) a metrics.json that is not of the
 * run folder's results: the report would show the figures of results no longer there.
 */
export function assertMetricsOfResults(
  dir: string,
  info: RunInfo,
  metrics: RunMetricsFile,
  lines: ReadonlyMap<string, number> | undefined,
): void {
  const stale = staleMetricsReason(info, metrics, lines);
  if (!stale) return;
  throw new InvalidConfigError([
    {
      path: join(dir, 'metrics.json'),
      message: `metrics.json is not of the results in results.jsonl: ${stale}; plexus evaluate SCORECARD --resume ${dir} scores what is missing and writes it again (plexus view shows the results so far)`,
    },
  ]);
}

/**
 * `staleMetricsReason` of a run folder: its results counted per score when the run did not
 * complete (a completed run's metrics.json is of its lines). For `plexus mlflow sync`, which logged
 * the metrics of an earlier end beside a killed or failed resume's results.
 */
export async function runFolderStaleMetrics(
  dir: string,
  info: RunInfo,
  metrics: RunMetricsFile,
): Promise<string | undefined> {
  if (info.ended_at !== null && info.status === 'completed') return undefined;
  const lines = new Map<string, number>();
  if (info.ended_at !== null)
    for await (const line of readResultLines(join(dir, 'results.jsonl')))
      lines.set(line.score, (lines.get(line.score) ?? 0) + 1);
  return staleMetricsReason(info, metrics, lines);
}
