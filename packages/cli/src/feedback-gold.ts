import {
  type GoldSource,
  InvalidConfigError,
  type LoadedScore,
  normalizeLabel,
} from '@plexus/core';
import { FeedbackStore, feedbackDbPath, feedbackGold, type GoldRule } from '@plexus/feedback';
import type { CliIo } from './output.js';

export interface GoldFlags {
  gold?: string;
  goldRule: string;
  feedbackDb?: string;
}

const shownTies = 5;

function goldRule(value: string): GoldRule {
  if (value === 'latest' || value === 'majority') return value;
  throw new InvalidConfigError([
    { path: '--gold-rule', message: `expected latest or majority, got "${value}"` },
  ]);
}

/** The scores whose gold comes from reviews: all with `--gold feedback`, else those with `gold: feedback`. */
function feedbackScores(scores: readonly LoadedScore[], gold: string | undefined): string[] {
  if (gold !== undefined && gold !== 'dataset' && gold !== 'feedback')
    throw new InvalidConfigError([
      { path: '--gold', message: `expected dataset or feedback, got "${gold}"` },
    ]);
  if (gold === 'feedback') return scores.map((score) => score.name);
  if (gold === 'dataset') return [];
  return scores.filter((score) => score.gold === 'feedback').map((score) => score.name);
}

/**
 * The gold source of `plexus evaluate` when some scores take their gold from reviews; says on
 * stderr which items tie (no gold) and which scores have no review at all.
 */
export async function feedbackGoldSource(
  scores: readonly LoadedScore[],
  flags: GoldFlags,
  io: CliIo,
): Promise<GoldSource | undefined> {
  const rule = goldRule(flags.goldRule);
  const names = feedbackScores(scores, flags.gold);
  if (names.length === 0) return undefined;
  const store = await FeedbackStore.open(feedbackDbPath(flags.feedbackDb));
  let records: ReturnType<FeedbackStore['reviews']>;
  try {
    records = store.reviews(names);
  } finally {
    store.close();
  }
  // Votes counted with labels compared as each score compares them (its normalize_labels).
  const gold = feedbackGold(records, rule, names, (name) => {
    const options = scores.find((score) => score.name === name)?.normalization;
    return (label) => normalizeLabel(label, options);
  });
  for (const name of names) {
    if (!gold.labels.has(name))
      io.stderr(
        `gold: no reviews of ${name} in ${store.path}: it runs without gold (plexus feedback import FILE)\n`,
      );
    const ties = gold.ties.filter((tie) => tie.score === name);
    if (ties.length === 0) continue;
    const shown = ties
      .slice(0, shownTies)
      .map((tie) => `${tie.item_id} (${tie.labels.join(' | ')})`)
      .join(', ');
    const more = ties.length > shownTies ? `, … ${ties.length - shownTies} more` : '';
    io.stderr(
      `gold: ${ties.length} item${ties.length === 1 ? '' : 's'} of ${name} with tied reviews, no gold: ${shown}${more}\n`,
    );
  }
  const described = rule === 'latest' ? 'latest review' : 'majority of reviewers';
  return {
    name: `feedback (${described}) from ${store.path}`,
    scores: names,
    labelOf: (score, itemId) => gold.labels.get(score)?.get(itemId),
  };
}
