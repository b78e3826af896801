import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluate, type LoadedScorecard, type ResultLine } from '@plexus/core';
import { itemCosts } from './item-costs.js';

/** One version of the scorecard evaluated on one split. */
export interface Measurement {
  dir: string;
  items: number;
  correct: number;
  accuracy: number;
  /** US dollars of the calls made now (cache hits cost nothing); null when a price is unknown. */
  spentUsd: number | null;
  /** US dollars per item as if nothing were cached; null when some item's cost is unknown. */
  costPerItem: number | null;
  /** Items whose cost is not known (see `itemCosts`). */
  costUnknownItems: number;
  /** The answered or failed items' lines (skipped and disabled ones left out, see `skipped`). */
  lines: ResultLine[];
  /** Labelled items the score did not run on (a condition unmet, an upstream that failed). */
  skipped: number;
  /** Some items were not scored: `--max-usd` ran out. */
  budgetExhausted: boolean;
}

export interface MeasureOptions {
  scorecard: LoadedScorecard;
  score: string;
  data: string;
  dir: string;
  cacheDir?: string;
  signal?: AbortSignal;
}

async function readLines(dir: string, score: string): Promise<ResultLine[]> {
  const text = await readFile(join(dir, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ResultLine)
    .filter((line) => line.score === score);
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  let total = 0;
  for (const value of values) {
    if (value === null) return null;
    total += value;
  }
  return total;
}

/**
 * Evaluates the score on a split through the result cache (a folder left by an interrupted run is
 * scored again: what it had paid for comes from the cache). An error counts as a wrong answer.
 */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  await rm(options.dir, { recursive: true, force: true });
  const summary = await evaluate({
    // The splits are JSON lines whatever the original dataset's format.
    scorecard: { ...options.scorecard, data: { ...options.scorecard.data, format: 'jsonl' } },
    data: options.data,
    scores: [options.score],
    outDir: options.dir,
    cacheDir: options.cacheDir,
    signal: options.signal,
  });
  if (summary.status !== 'completed')
    throw new Error(
      `the evaluation in ${options.dir} ended ${summary.status}${summary.error ? `: ${summary.error}` : ''}`,
    );
  const labelled = (await readLines(options.dir, options.score)).filter(
    (line) => line.label !== null,
  );
  // An item a condition skipped (or a disabled score) has no answer: not a wrong one, as in
  // `plexus evaluate` and the holdout's McNemar (train counted it wrong: 0.561 beside 1.000).
  const lines = labelled.filter((line) => line.status !== 'skipped' && line.status !== 'disabled');

  const correct = lines.filter((line) => line.correct === true).length;
  const fingerprint =
    options.scorecard.scores.find((entry) => entry.name === options.score)?.fingerprint ?? '';
  const costs = itemCosts(lines, fingerprint, options.cacheDir);
  return {
    dir: options.dir,
    items: lines.length,
    correct,
    accuracy: lines.length === 0 ? 0 : correct / lines.length,
    spentUsd: sumOrNull(lines.filter((line) => !line.cached).map((line) => line.cost_usd)),
    costPerItem: costs.perItem,
    costUnknownItems: costs.unknown,
    lines,
    skipped: labelled.length - lines.length,
    budgetExhausted: lines.some((line) => line.error?.code === 'budget_exhausted'),
  };
}

/** A confusion cell of wrong answers: gold, predicted, how many, and a bounded sample of its items. */
export interface ConfusionCell {
  gold: string;
  predicted: string;
  count: number;
  examples: { id: string; text: string; explanation: string | null }[];
}

const byText = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

/**
 * The largest cells of wrong answers (errors as predicted "error"), with up to `perCell` items
 * each, the same for the same answers: lines taken in item id order, ties of size by gold and
 * answer. Taken in the order results.jsonl holds them (the order calls ended), a resume asked the
 * optimizer with other examples, a request the cache had not seen: paid again, another answer.
 */
export function largestConfusions(
  lines: readonly ResultLine[],
  cells: number,
  perCell: number,
): ConfusionCell[] {
  const byCell = new Map<string, ConfusionCell>();
  const ordered = [...lines].sort((left, right) => byText(left.item_id, right.item_id));
  for (const line of ordered) {
    if (line.correct !== false && line.status !== 'error') continue;
    const predicted = line.value ?? 'error';
    const key = JSON.stringify([line.label, predicted]);
    const cell = byCell.get(key) ?? { gold: line.label ?? '', predicted, count: 0, examples: [] };
    cell.count += 1;
    if (cell.examples.length < perCell)
      cell.examples.push({
        id: line.item_id,
        text: (line.text ?? '').slice(0, 600),
        explanation: line.explanation ?? line.error?.message ?? null,
      });
    byCell.set(key, cell);
  }
  return [...byCell.values()]
    .sort((a, b) => b.count - a.count || byText(a.gold, b.gold) || byText(a.predicted, b.predicted))
    .slice(0, cells);
}

/** ` (3 of 57 failed, counted wrong)` when items failed: the accuracy counts them wrong. */
export function failedText(measurement: Measurement, firstError = false): string {
  const skipped =
    measurement.skipped > 0 ? ` (${measurement.skipped} skipped by conditions, left out)` : '';
  const failed = measurement.lines.filter((line) => line.status === 'error');
  if (failed.length === 0) return skipped;
  const first = failed[0]!.error?.message;
  const why = firstError && first ? `; the first: ${first.slice(0, 200)}` : '';
  return `${skipped} (${failed.length} of ${measurement.items} failed, counted wrong${why})`;
}

/**
 * Why a round must stop before the optimizer is paid: the score failed on every train item (a
 * model name the endpoint does not know, a request it refuses). No prompt fixes that, and the
 * round went on to "no significant improvement", as if the prompt were the problem.
 */
export function allFailedProblem(score: string, train: Measurement): string | undefined {
  if (train.items === 0 && train.skipped > 0)
    return `the score "${score}" ran on none of the ${train.skipped} train items (its depends_on conditions skipped them all): the optimizer was not asked; check its conditions with plexus evaluate`;
  const failed = train.lines.filter((line) => line.status === 'error');
  if (train.items === 0 || failed.length < train.items) return undefined;
  return `the score "${score}" failed on every one of the ${train.items} train items (${failed[0]?.error?.message ?? 'no message'}): a prompt cannot fix that, so the optimizer was not asked; fix the score (plexus evaluate on its scorecard lists the errors), then run optimize again`;
}
