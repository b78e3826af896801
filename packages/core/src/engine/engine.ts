import { type LineStorageOptions, storedLine } from '../run/line-storage.js';
import { type ResultLine, toResultLine } from '../run/result-line.js';
import { nameValue } from '../text/name-records.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineItem, EngineResult } from './engine-result.js';
import { EngineRun } from './engine-run.js';

export type { EngineOptions } from './engine-options.js';
export type { EngineItem, EngineResult } from './engine-result.js';

/**
 * Scores a stream of items: per item, scores in dependency order; per score, micro-batches of the
 * items that are ready. Yields the results in groups, as they complete: each group is every result
 * completed since the last one was taken (no promise per result). One failing item or score gives
 * an `error` result for it and the run goes on. On abort, no new work starts and work that was
 * abandoned yields nothing (so a resumed run scores it).
 */
export function runEngineBatches<Item extends EngineItem>(
  options: EngineOptions<Item>,
): AsyncGenerator<EngineResult<Item>[]> {
  return new EngineRun(options).batches();
}

/** `runEngineBatches`, one result at a time. */
export function runEngine<Item extends EngineItem>(
  options: EngineOptions<Item>,
): AsyncGenerator<EngineResult<Item>> {
  return new EngineRun(options).results();
}

/**
 * The engine's results as `results.jsonl` lines, in groups as `runEngineBatches` yields them: the
 * gold label from the item's `labels`, compared with each score's label normalisation; the item's
 * text and the traces' prompts as `storage` says.
 */
export async function* resultLineBatches<
  Item extends EngineItem & { labels?: Readonly<Record<string, string>> },
>(options: EngineOptions<Item> & { storage?: LineStorageOptions }): AsyncGenerator<ResultLine[]> {
  const normalizations = new Map(options.scores.map((entry) => [entry.name, entry.normalization]));
  const storage = options.storage ?? {};
  const lineOf = (result: EngineResult<Item>): ResultLine => {
    const gold = nameValue(result.item.labels, result.score);
    const line = toResultLine(result, gold, normalizations.get(result.score));
    // The item's first result stores its text.
    return storedLine(line, { text: result.item.text, first: result.first === true }, storage);
  };
  for await (const results of runEngineBatches(options)) yield results.map(lineOf);
}

/** `resultLineBatches`, one line at a time. */
export async function* resultLines<
  Item extends EngineItem & { labels?: Readonly<Record<string, string>> },
>(options: EngineOptions<Item> & { storage?: LineStorageOptions }): AsyncGenerator<ResultLine> {
  for await (const batch of resultLineBatches(options)) yield* batch;
}
