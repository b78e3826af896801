// What the engine takes and gives, apart from the engine so that a result line can read it.
import type { ScoreOutputV1 } from '../spec/score-spec.js';

/** An item the engine scores. */
export interface EngineItem {
  id: string;
  text: string;
  metadata: Record<string, unknown>;
}

/** One score's result for one item, as the engine yields it. */
export interface EngineResult<Item extends EngineItem = EngineItem> {
  item: Item;
  score: string;
  output: ScoreOutputV1;
  /**
   * Milliseconds: from its batch's start to an answer given on its own (`onOutput`), or its share
   * of the batch's time when the batch was answered at once; 0 for cache hits and skips.
   */
  latencyMs: number;
  cached: boolean;
  /** Whether it is the item's first result of this run (its line stores the item's text). */
  first?: boolean;
}
