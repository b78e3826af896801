import { join } from 'node:path';
import { differenceText, pValueText, shareText, unlistedUnknownCostReason } from '@plexus/core';
import { dollars, percentOf } from './figures.js';
import type { CandidateRecord, RoundEntry } from './round.js';
import { writeWhole } from './whole-file.js';

/** `changelog.json`: the run's settings, spending and every round. */
export interface Changelog {
  scorecard: string;
  score: string;
  alpha: number;
  max_cost_increase: number;
  spent_usd: number | null;
  rounds: RoundEntry[];
  stopped: string | null;
  /** Rounds decided by McNemar's test on the (same) holdout; written with the changelog. */
  holdout_tests?: number;
}

/**
 * Each round tests on the same holdout at `alpha`: over n tests the chance that some accepted edit
 * is no better than the version before is up to n × alpha (Bonferroni), not alpha. Said, with n.
 */
export function holdoutReuseText(log: Changelog): string | undefined {
  const tests = log.rounds.filter((entry) => entry.p_value !== null).length;
  if (tests < 2) return undefined;
  const bound = Math.min(1, tests * log.alpha);
  return `The same holdout decided ${tests} rounds, each at p < ${log.alpha}: the chance that an accepted edit is no better than the version before it is up to ${tests} × ${log.alpha} = ${Number(bound.toPrecision(3))} over the run (Bonferroni), not ${log.alpha}; the kept version's holdout accuracy is also the best of what was tried on it. Check it on labelled items the run never saw before relying on the gain.`;
}

/** An accuracy in three decimals, never 1.000 for one below 1 (`shareText`: `>0.999`). */
function figure(value: number | null): string {
  return value === null ? '–' : shareText(value);
}

/** The generalisation gap, a difference: one that is not 0 is not printed as 0 (`differenceText`). */
function gap(value: number | null): string {
  return value === null ? '–' : differenceText(value, 3);
}

/** Three significant digits, or more where three would land on or across alpha (0.04998). */
function pValue(value: number | null, alpha: number): string {
  return value === null ? '–' : pValueText(value, alpha, 3);
}

function roundRow(entry: RoundEntry, alpha: number): string {
  const { train, validation, holdout } = entry.metrics;
  const cells = [
    String(entry.round),
    entry.outcome,
    entry.edit ? `${entry.edit.node}: ${entry.reason ?? ''}` : '–',
    `${figure(train.current)} → ${figure(train.candidate)}`,
    `${figure(validation.current)} → ${figure(validation.candidate)}`,
    `${figure(holdout.current)} → ${figure(holdout.candidate)} (n ${holdout.items ?? '–'})`,
    pValue(entry.p_value, alpha),
    `${dollars(entry.cost_per_item.current)} → ${dollars(entry.cost_per_item.candidate)}`,
    gap(entry.generalisation_gap),
    entry.version ?? '–',
  ];
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
}

/** A candidate: its node and reason as proposed, its validation accuracy, and why it was dropped. */
function candidateLine(index: number, candidate: CandidateRecord): string {
  const reason = candidate.reason === null ? '' : ` (${JSON.stringify(candidate.reason)})`;
  const measured =
    candidate.validation_accuracy === null
      ? ''
      : `, validation ${shareText(candidate.validation_accuracy)}`;
  const fate =
    candidate.dropped === null
      ? 'beat the current version on validation'
      : `dropped: ${candidate.dropped}`;
  return `- candidate ${index + 1}, ${candidate.node ?? 'no node'}${reason}${measured}: ${fate}`;
}

/** The changelog as Markdown: one row per round, then each round's dropped candidates and why. */
export function changelogMarkdown(log: Changelog): string {
  const lines = [
    `# Optimizing "${log.score}" of ${log.scorecard}`,
    '',
    `Accepted only when McNemar's exact test on the holdout gives p < ${log.alpha} and the new version is more accurate, with cost per item up by at most ${percentOf(log.max_cost_increase)}. Accuracy is current → candidate; the gap is train minus holdout accuracy of the version kept; "–" is not measured (no candidate got that far) or an unknown cost (a model without a price, or answers from a result cache no optimize run filled).`,
    '',
    '| round | outcome | edit | train | validation | holdout | p | USD per item | gap | version |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...log.rounds.map((entry) => roundRow(entry, log.alpha)),
    '',
  ];
  for (const entry of log.rounds) {
    lines.push(`Round ${entry.round}: ${entry.why}.`);
    for (const dropped of entry.dropped.filter((item) => item.node === null))
      lines.push(`- dropped the answer: ${dropped.reason}`);
    for (const [index, candidate] of entry.candidates.entries())
      lines.push(candidateLine(index, candidate));
    lines.push('');
  }
  lines.push(
    `Spent: ${log.spent_usd === null ? `unknown (${unlistedUnknownCostReason})` : `$${log.spent_usd.toFixed(4)}`}.`,
  );
  const reuse = holdoutReuseText(log);
  if (reuse) lines.push('', reuse);
  if (log.stopped) lines.push('', `Stopped: ${log.stopped}.`);
  return `${lines.join('\n')}\n`;
}

export async function writeChangelog(outDir: string, log: Changelog): Promise<void> {
  log.holdout_tests = log.rounds.filter((entry) => entry.p_value !== null).length;
  // Written whole, then renamed: a kill leaves the old file or the new one, never half of one.
  const files = [
    ['changelog.json', `${JSON.stringify(log, null, 2)}\n`],
    ['changelog.md', changelogMarkdown(log)],
  ] as const;
  for (const [name, text] of files) await writeWhole(join(outDir, name), text);
}
