import { nameRecord } from '../text/name-records.js';
import type { DatasetItem } from './dataset.js';

/**
 * Gold labels from elsewhere than the dataset (reviewers' labels: `@plexus/feedback`). For each
 * score in `scores`, an item's gold is `labelOf(score, item id)`; undefined means the item has no
 * gold for that score (its dataset column, if any, is not used).
 */
export interface GoldSource {
  /** What the gold is, in words (`feedback (majority of reviewers) from …`): run.json's `options.gold`. */
  name: string;
  scores: readonly string[];
  labelOf: (score: string, itemId: string) => string | undefined;
}

/** The items with their gold for `gold.scores` taken from `gold` (an item source transform). */
export async function* withGold(
  items: AsyncIterable<DatasetItem>,
  gold: GoldSource,
): AsyncGenerator<DatasetItem> {
  for await (const item of items) {
    const labels = nameRecord<string>();
    for (const [score, label] of Object.entries(item.labels)) labels[score] = label;
    for (const score of gold.scores) {
      const label = gold.labelOf(score, item.id);
      if (label === undefined) delete labels[score];
      else labels[score] = label;
    }
    yield { ...item, labels };
  }
}
