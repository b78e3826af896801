import {
  InvalidConfigError,
  percentText,
  type RunSummary,
  type ScoreMetrics,
  shareText,
} from '@plexus/core';
import { plural } from './summary-table.js';

/** Default of `--max-error-rate`: a score may fail on at most 10% of the items due an answer. */
export const defaultMaxErrorRate = 0.1;

/** Exit code of a run that completed but cannot be trusted as it stands (see `runOutcome`). */
export const incompleteExitCode = 3;

/** The exit codes, for `--help`. */
export const exitCodesHelp = `
Exit codes: 0 done (per-item errors are counted, not fatal); 1 the run failed or was interrupted;
2 bad input (scorecard, data, arguments); 3 the run completed but a score failed on more than
--max-error-rate of the items due an answer, or the dataset had no items (the summary says which
score and why).`;

/** Parses `--max-error-rate`: a share in [0, 1]. */
export function errorRate(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed >= 0 && parsed <= 1))
    throw new InvalidConfigError([
      {
        path: '--max-error-rate',
        message: `expected a share between 0 and 1 (0.1 = 10%), got "${value}"`,
      },
    ]);
  return parsed;
}

/** Items a score was due to answer: answered or failed (skips are not due). */
function itemsDue(metrics: ScoreMetrics): number {
  return metrics.n_results - metrics.n_skipped;
}

/** A share as a percentage that never reads 100.0% for less, nor 0.0% for more (`percentText`). */
function percent(share: number): string {
  return percentText(share, 1);
}

/**
 * One note per score that had errors, for the summary: the table's metrics are over the answered
 * items only, so say how many were answered and what the accuracy is with an error counted wrong.
 * A run that stopped early also says which scores did not reach every item read.
 */
export function errorNotes(
  summary: Pick<RunSummary, 'scores'> & Partial<Pick<RunSummary, 'items' | 'status'>>,
): string[] {
  const stopped =
    summary.items === undefined || summary.status === undefined
      ? []
      : unscoredNotes({ items: summary.items, status: summary.status, scores: summary.scores });
  return [...stopped, ...scoreErrorNotes(summary), ...inTrainingNotes(summary)];
}

/** Scores that answered items of their own training data: their accuracy is partly remembered. */
function inTrainingNotes(summary: Pick<RunSummary, 'scores'>): string[] {
  return Object.entries(summary.scores)
    .filter(([, metrics]) => (metrics.n_in_training ?? 0) > 0)
    .map(([name, metrics]) => {
      const others =
        metrics.accuracy_not_in_training === null || metrics.accuracy_not_in_training === undefined
          ? 'no labelled item outside it: evaluate on data the model was not trained on'
          : `accuracy over the ${metrics.n_not_in_training} labelled items outside it ${shareText(metrics.accuracy_not_in_training)}`;
      return `warning: ${name}: ${metrics.n_in_training} of its answers are on items of its model's training data (the same text), where it remembers rather than predicts; ${others}`;
    });
}

function scoreErrorNotes(summary: Pick<RunSummary, 'scores'>): string[] {
  return Object.entries(summary.scores)
    .filter(([, metrics]) => metrics.n_errors > 0)
    .map(([name, metrics]) => {
      const coverage =
        metrics.coverage === null ? 'no item was due' : `coverage ${percent(metrics.coverage)}`;
      const accuracy =
        metrics.accuracy_counting_errors === null
          ? 'no gold labels, so no accuracy counting errors'
          : `accuracy counting errors as wrong ${shareText(metrics.accuracy_counting_errors)}`;
      return `${name}: ${plural(metrics.n_errors, 'error')} of ${itemsDue(metrics)} items due an answer; ${coverage}; ${accuracy}`;
    });
}

/**
 * For a run that stopped early (interrupted, failed): the scores that did not give every item read
 * a result (the summary's items count the items read, not those scored); none when all did.
 */
function unscoredNotes(summary: Pick<RunSummary, 'items' | 'scores' | 'status'>): string[] {
  if (summary.status !== 'interrupted' && summary.status !== 'failed') return [];
  const short = Object.entries(summary.scores)
    .filter(([, metrics]) => metrics.n_results < summary.items)
    .map(([name, metrics]) => `${name} ${metrics.n_results}`);
  if (short.length === 0) return [];
  return [
    `The run stopped before every item read had a result: of the ${summary.items} items read, ${short.join(', ')} have one; --resume scores the rest`,
  ];
}

/** What a completed run's exit code is, and why it is not 0. */
export interface RunOutcome {
  /** 0, or 3 when a score failed on too many items or the dataset had no items. */
  exitCode: 0 | typeof incompleteExitCode;
  /** One sentence per reason, naming the score. */
  reasons: string[];
}

/**
 * Judges a completed run: exit 3 when the dataset had no items, or when a score's error share
 * (errors / items due an answer) exceeds `maxErrorRate`. Failed and interrupted runs exit 1 before.
 */
export function runOutcome(
  summary: Pick<RunSummary, 'items' | 'scores'>,
  maxErrorRate: number,
): RunOutcome {
  const reasons: string[] = [];
  if (summary.items === 0)
    reasons.push('the dataset had no items: nothing was scored (check the file and any --limit)');
  for (const [name, metrics] of Object.entries(summary.scores)) {
    const due = itemsDue(metrics);
    if (due === 0 || metrics.n_errors / due <= maxErrorRate) continue;
    reasons.push(
      `score "${name}" failed on ${metrics.n_errors} of ${due} items due an answer (${percent(metrics.n_errors / due)}), above --max-error-rate ${maxErrorRate}`,
    );
  }
  return { exitCode: reasons.length > 0 ? incompleteExitCode : 0, reasons };
}
