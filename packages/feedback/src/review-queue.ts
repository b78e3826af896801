import { InvalidConfigError, type LabelNormalizer, normalizeLabel } from '@plexus/core';
import { BoundedHeap } from './bounded-heap.js';
import { QueueTable, type TableResult } from './queue-table.js';
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

/** How labels compare when ranking: names by id, each score's normalisation remembered. */
interface Labels {
  table: QueueTable;
  normalizer: (score: string) => LabelNormalizer;
}

/** Lowest confidence among answers that have one; undefined when none has. */
function uncertainty(results: readonly TableResult[]): number | undefined {
  let lowest: number | undefined;
  for (const result of results)
    if (result.ok && result.confidence !== null)
      lowest = lowest === undefined ? result.confidence : Math.min(lowest, result.confidence);
  return lowest;
}

function normalized(labels: Labels, score: number, label: number): string {
  const { table, normalizer } = labels;
  return normalizer(table.scores.list[score]!)(table.labels.list[label]!);
}

/** 1 - (commonest answer's count / answers): 0 when all agree; undefined with fewer than two answers. */
function disagreement(results: readonly TableResult[], labels: Labels): number | undefined {
  const values = results
    .filter((result) => result.value !== -1)
    .map((result) => normalized(labels, result.score, result.value));
  if (values.length < 2) return undefined;
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return 1 - Math.max(...counts.values()) / values.length;
}

/** 0 when the item's answer is in the cell (gold and answer compared as the score does). */
function cellMatch(
  results: readonly TableResult[],
  cell: QueueOptions['cell'],
  labels: Labels,
): number | undefined {
  const [result] = results;
  if (!result?.ok || result.label === -1 || result.value === -1) return undefined;
  const same = labels.normalizer(labels.table.scores.list[result.score]!);
  return normalized(labels, result.score, result.label) === same(cell!.gold) &&
    normalized(labels, result.score, result.value) === same(cell!.predicted)
    ? 0
    : undefined;
}

/**
 * A `--score` name as the run spells it: the same name in another Unicode form (`Café` with a
 * combining accent) was "no score Café in the run (scores: Café)".
 */
export function scoreInRun(name: string, known: readonly string[]): string {
  if (known.includes(name)) return name;
  const form = name.normalize('NFC');
  return known.find((score) => score.normalize('NFC') === form) ?? name;
}

function checkOptions(options: QueueOptions, known: readonly string[]): readonly string[] {
  const wanted = options.scores && options.scores.length > 0 ? options.scores : known;
  const scores = wanted.map((name) => scoreInRun(name, known));
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

/** An item ranked: its number, priority, confidence to break ties, and place in the run. */
interface Ranked {
  item: number;
  priority: number;
  second: number;
  order: number;
}

/**
 * The first `options.n` items of `table` in queue order: lowest confidence first (`uncertainty`),
 * most disagreement among the scores first (`disagreement`, then lowest confidence), or the items
 * of one confusion cell (`cell`), in run order. Ties keep the run's order. Only the `n` best are
 * kept while ranking (a bounded heap), not every item.
 */
function rankTable(table: QueueTable, options: QueueOptions) {
  const scores = checkOptions(options, table.scores.list);
  const chosenIds = new Set(scores.map((score) => table.scores.list.indexOf(score)));
  const labels: Labels = { table, normalizer: options.normalizer ?? (() => normalizeLabel) };
  const direction = options.by === 'disagreement' ? -1 : 1;
  const before = (a: Ranked, b: Ranked) =>
    direction * (a.priority - b.priority) || a.second - b.second || a.order - b.order;
  const best = new BoundedHeap<Ranked>(options.n, before);
  let considered = 0;
  let rankedCount = 0;
  for (let item = 0; item < table.itemCount; item += 1) {
    const chosen = table.resultsOf(item).filter((result) => chosenIds.has(result.score));
    if (chosen.length === 0) continue;
    considered += 1;
    const priority =
      options.by === 'uncertainty'
        ? uncertainty(chosen)
        : options.by === 'disagreement'
          ? disagreement(chosen, labels)
          : cellMatch(chosen, options.cell, labels);
    if (priority === undefined) continue;
    rankedCount += 1;
    // A cell's items in run order: lowest confidence first is for disagreement's ties (the cell's
    // queue was its lowest-confidence items where run order is said).
    const second = options.by === 'cell' ? 0 : (uncertainty(chosen) ?? 1);
    best.offer({ item, priority, second, order: considered });
  }
  const unranked = options.by === 'cell' ? 0 : considered - rankedCount;
  return { ranked: best.sorted(), considered, unranked };
}

/**
 * The queue of a table: its items' answers (every score's, as the run gave them) and texts (the
 * first of the item's results with one, `textAt` reading it from where it is).
 */
export function queueOfTable(
  table: QueueTable,
  options: QueueOptions,
  textAt: (item: number, score: number) => string | null,
): ReviewQueue {
  const { ranked, considered, unranked } = rankTable(table, options);
  const items = ranked.map(({ item, priority }) => {
    const all = table.resultsOf(item);
    const answers: Record<string, string | null> = Object.create(null);
    for (const result of all)
      answers[table.scores.list[result.score]!] =
        result.value === -1 ? null : table.labels.list[result.value]!;
    let text: string | null = null;
    for (const result of all) {
      text = textAt(item, result.score);
      if (text !== null) break;
    }
    return { item_id: table.itemIds[item]!, text, answers, priority };
  });
  return { items, considered, unranked };
}

/**
 * The items a human should label next (see `queueOfTable`) from results given whole; a later
 * result of the same item and score replaces an earlier one (as `readRunResults` gives them).
 * A run folder's queue is `reviewQueueOfRun`, which keeps no result whole.
 */
export function reviewQueue(results: readonly RunResult[], options: QueueOptions): ReviewQueue {
  const table = new QueueTable();
  for (const [place, result] of results.entries()) table.add(result, place);
  return queueOfTable(table, options, (item, score) => {
    return results[table.placeOf(item, score).at]?.text ?? null;
  });
}
