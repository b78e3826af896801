import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml, shareText } from './html.js';

/** The file `plexus feedback agreement --run RUN` leaves in the run folder. */
export const agreementFile = 'feedback-agreement.json';

interface Pair {
  n: number;
  accuracy: number;
  /** Null (with `kappa_ac1_reason`) when one label only occurs: undefined there. */
  cohen_kappa: number | null;
  gwet_ac1: number | null;
  kappa_ac1_reason?: string | null;
}

/**
 * Kappa or AC1 (of a score or a pair) as shown: null over some items means one label only, where
 * both are undefined (`kappa_ac1_reason`); over no item a dash.
 */
export function chanceCorrected(value: number | null, items: number): string {
  return value === null && items > 0 ? 'undefined (one label only)' : shareText(value);
}

/** What the report and the MLflow sync read of `feedback-agreement.json` (see `@plexus/feedback`). */
export interface FeedbackAgreementFile {
  computed_at: string;
  scores: Record<
    string,
    {
      items: number;
      reviewers: number;
      krippendorff_alpha: number | null;
      fleiss_kappa: number | null;
      human_ceiling: Pair | null;
      model_vs_majority: Pair | null;
      /** Items with two reviews or more, and those whose reviewers tie (absent in older files). */
      items_with_two_or_more?: number;
      majority_ties?: number;
    }
  >;
}

/** The run folder's agreement with reviewers, when `plexus feedback agreement --run` saved one. */
export async function readAgreement(dir: string): Promise<FeedbackAgreementFile | undefined> {
  const path = join(dir, agreementFile);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as FeedbackAgreementFile;
  } catch {
    return undefined; // a broken file is no agreement; the run's own report is unaffected
  }
}

/** A row of agreement; without one, a dash and why (`absent`). */
function pairRow(name: string, pair: Pair | null, absent: string): string {
  if (!pair)
    return `<tr><td>${escapeHtml(name)}</td><td colspan="4">— <span class="note">${escapeHtml(absent)}</span></td></tr>`;
  return `<tr><td>${escapeHtml(name)}</td><td class="number">${pair.n}</td><td class="number">${escapeHtml(shareText(pair.accuracy))}</td><td class="number">${escapeHtml(chanceCorrected(pair.cohen_kappa, pair.n))}</td><td class="number">${escapeHtml(chanceCorrected(pair.gwet_ac1, pair.n))}</td></tr>`;
}

type ScoreEntry = FeedbackAgreementFile['scores'][string];

/** Why the human ceiling is absent: no item reviewed twice, or no majority among the others. */
function ceilingAbsent(entry: ScoreEntry): string {
  return (entry.items_with_two_or_more ?? 0) > 0
    ? "no reviewer's label has a majority of the item's other reviewers to meet"
    : 'no item reviewed by two or more reviewers';
}

/** Why the model's row is absent: every item a tie, or no answer on an item with a majority. */
function majorityAbsent(entry: ScoreEntry): string {
  return entry.majority_ties !== undefined && entry.majority_ties === entry.items
    ? `every reviewed item is a tie between its reviewers (${entry.majority_ties} of ${entry.items}): no majority label`
    : 'no reviewed item with a majority label has an answer of this score in this run';
}

/**
 * Why the model's figures are not of the run's results: computed before the run last ended (a
 * resume since rewrote its results); undefined when they are, or when either time is unknown.
 */
export function staleAgreementReason(
  computedAt: string,
  endedAt: string | null | undefined,
): string | undefined {
  const computed = Date.parse(computedAt);
  const ended = endedAt ? Date.parse(endedAt) : Number.NaN;
  if (!(computed < ended)) return undefined;
  return `computed at ${computedAt}, before the run last ended (${endedAt}): run plexus feedback agreement --run on this run again`;
}

/**
 * A score's agreement with its reviewers: between reviewers, the human ceiling, the model. The
 * model's row is left out, with why, when it was computed before the run last ended (`endedAt`).
 */
export function agreementSection(
  agreement: FeedbackAgreementFile | undefined,
  score: string,
  endedAt?: string | null,
): string {
  const entry =
    agreement && Object.hasOwn(agreement.scores, score) ? agreement.scores[score] : undefined;
  if (!entry) return '';
  const stale = staleAgreementReason(agreement!.computed_at, endedAt);
  const model = stale
    ? pairRow('model vs reviewers\u2019 majority', null, stale)
    : pairRow('model vs reviewers\u2019 majority', entry.model_vs_majority, majorityAbsent(entry));
  return `<h3>Reviewers <small>${entry.items} items, ${entry.reviewers} reviewers; Krippendorff's alpha ${escapeHtml(shareText(entry.krippendorff_alpha))}, Fleiss' kappa ${escapeHtml(shareText(entry.fleiss_kappa))} (computed ${escapeHtml(agreement!.computed_at)})</small></h3><table class="classes"><thead><tr><th></th><th>n</th><th>accuracy</th><th>Cohen's kappa</th><th>Gwet's AC1</th></tr></thead><tbody>${pairRow('human ceiling (each reviewer vs the others)', entry.human_ceiling, ceilingAbsent(entry))}${model}</tbody></table>`;
}
