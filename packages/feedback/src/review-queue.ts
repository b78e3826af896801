import { InvalidConfigError, type LabelNormalizer, normalizeLabel } from '@plexus/core';
import type { RunResult } from './run-answers.js';

/** How the review queue picks items. */
export type QueueOrder = 'uncertainty' | 'disagreement' | 'cell';

export interface QueueOptions {
  /** How many items at most. */
  n: number;
  by: QueueOrder;
  /** The scores considered; default every score of the run. */
  scores?: readonly string[];
  /** With `by: 'cell'`: the gold and predicted labels of the confusion cell. */
  cell?: { gold: string; predicted: string };
  /**
   * How each score compares labels (the run's `normalize_labels`: core's `runNormalizers`);
   * default `normalizeLabel`. A cell holds the items the metrics count in it; answers agree as the
   * score would judge them.
   */
  normalizer?: (score: string) => LabelNormalizer;
}

/** One item of the queue: its text, each score's answer, and why it was picked. */
export interface QueueItem {
  item_id: string;
  text: string | null;
  answers: Record<string, string | null>;
  /** Uncertainty: the lowest confidence of the considered scores; disagreement: the share not giving the commonest answer. */
  priority: number;
}

/** The queue, and the items that could not be ranked (no confidence, fewer than two answers). */
export interface ReviewQueue {
  items: QueueItem[];
  /** Items of the run considered, and the ones left out because they had nothing to rank by. */
  considered: number;
  unranked: number;
}

function groupByItem(results: readonly RunResult[]): Map<string, RunResult[]> {
  const items = new Map<string, RunResult[]>();
  for (const result of results) {
    const list = items.get(result.item_id);
    if (list) list.push(result);
    else items.set(result.item_id, [result]);
  }
  return items;
}

/** Lowest confidence among answers that have one; undefined when none has. */
function uncertainty(results: readonly RunResult[]): number | undefined {
  const confidences = results
    .filter((result) => result.status === 'ok' && result.confidence !== null)
    .map((result) => result.confidence!);
  return confidences.length > 0 ? Math.min(...confidences) : undefined;
}

/** 1 - (commonest answer's count / answers): 0 when all agree; undefined with fewer than two answers. */
function disagreement(
  results: readonly RunResult[],
  normalizer: (score: string) => LabelNormalizer,
): number | undefined {
  const values = results
    .filter((result) => result.value !== null)
    .map((result) => normalizer(result.score)(result.value!));
  if (values.length < 2) return undefined;
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return 1 - Math.max(...counts.values()) / values.length;
}

/** 0 when the item's answer is in the cell (gold and answer compared as the score does). */
function cellMatch(
  results: readonly RunResult[],
  cell: QueueOptions['cell'],
  normalizer: (score: string) => LabelNormalizer,
): number | undefined {
  const [result] = results;
  if (result?.status !== 'ok' || result.label === null || result.value === null) return undefined;
  const same = normalizer(result.score);
  return same(result.label) === same(cell!.gold) && same(result.value) === same(cell!.predicted)
    ? 0
    : undefined;
}

function checkOptions(options: QueueOptions, known: readonly string[]): readonly string[] {
  const scores = options.scores && options.scores.length > 0 ? options.scores : known;
  const unknown = scores.filter((score) => !known.includes(score));
  if (unknown.length > 0)
    throw new InvalidConfigError([
      {
        path: '--score',
        message: `no score ${unknown.join(', ')} in the run (scores: ${known.join(', ')})`,
      },
    ]);
  if (options.by === 'cell' && (!options.cell || scores.length !== 1))
    throw new InvalidConfigError([
      { path: '--cell', message: '--by cell needs --cell GOLD,PREDICTED and one --score NAME' },
    ]);
  if (options.by === 'disagreement' && scores.length < 2)
    throw new InvalidConfigError([
      { path: '--by', message: 'disagreement needs two scores or more (--score A --score B)' },
    ]);
  return scores;
}

/**
 * The items a human should label next: lowest confidence first (`uncertainty`), most
 * disagreement among the scores first (`disagreement`, then lowest confidence), or the items of one
 * confusion cell (`cell`), in run order. Ties keep the run's order.
 */
export function reviewQueue(results: readonly RunResult[], options: QueueOptions): ReviewQueue {
  const known = [...new Set(results.map((result) => result.score))];
  const scores = checkOptions(options, known);
  const normalizer = options.normalizer ?? (() => normalizeLabel);
  const ranked: { item: QueueItem; second: number; order: number }[] = [];
  let considered = 0;
  let order = 0;
  for (const [itemId, all] of groupByItem(results)) {
    const chosen = all.filter((result) => scores.includes(result.score));
    if (chosen.length === 0) continue;
    considered += 1;
    order += 1;
    const priority =
      options.by === 'uncertainty'
        ? uncertainty(chosen)
        : options.by === 'disagreement'
          ? disagreement(chosen, normalizer)
          : cellMatch(chosen, options.cell, normalizer);
    if (priority === undefined) continue;
    const answers: Record<string, string | null> = Object.create(null);
    for (const result of all) answers[result.score] = result.value;
    const text = all.find((result) => result.text !== null)?.text ?? null;
    ranked.push({
      item: { item_id: itemId, text, answers, priority },
      second: uncertainty(chosen) ?? 1,
      order,
    });
  }
  const direction = options.by === 'disagreement' ? -1 : 1;
  ranked.sort(
    (a, b) =>
      direction * (a.item.priority - b.item.priority) || a.second - b.second || a.order - b.order,
  );
  const unranked = options.by === 'cell' ? 0 : considered - ranked.length;
  return { items: ranked.slice(0, options.n).map((entry) => entry.item), considered, unranked };
}
