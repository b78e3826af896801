// What the engine takes: the scores, the items and how the run may stop.
import type { ResultCache } from '../cache/cache.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import type { EngineItem } from './engine-result.js';

export interface EngineOptions<Item extends EngineItem> {
  /** Scores in dependency order (as `loadScorecard` returns them), each created. */
  scores: readonly LoadedScore[];
  /**
   * Streamed (async) or in memory. An async source may give arrays of items (a dataset's chunk,
   * `readDatasetBatches`): one promise turn per array rather than per item.
   */
  items: AsyncIterable<Item | readonly Item[]> | Iterable<Item>;
  /**
   * Called with each item as it is taken from `items`, before it is scored (also an item whose
   * every result a resumed run already has): counts what was read, even from arrays.
   */
  onItem?: (item: Item) => void;
  scorecard: string;
  /** Abandons everything at once: calls in flight are cancelled, their items left unscored. */
  signal?: AbortSignal;
  /** Stops starting work; calls in flight finish and their results come out (a first Ctrl-C). */
  drain?: AbortSignal;
  /**
   * Items in flight at most; default 256, or the largest `collects` of the scores (a batch
   * API's). Memory stays bounded by it, and so does a batch.
   */
  window?: number;
  /** `doScore` calls in flight per score at most; default 4. */
  concurrency?: number;
  cache?: ResultCache;
  /** The run folder, passed to scores in their context (see `ScoreContextV1.runDir`). */
  runDir?: string;
  /** Outputs already stored for an item (resume): those scores are not run again. */
  prior?: (item: Item) => Readonly<Record<string, ScoreOutputV1>> | undefined;
}
