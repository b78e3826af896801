import {
  closest,
  type GoldSource,
  InvalidConfigError,
  type LoadedScore,
  normalizeLabel,
  strayLabels,
} from '@plexus/core';
import { FeedbackStore, feedbackDbPath, feedbackGold, type GoldRule } from '@plexus/feedback';
import { namedSpelling } from './feedback-spelling.js';
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
 * Items whose gold from reviews is not one of the score's labels (a review typed `yse`): they
 * count as wrong answers, which was said nowhere. Said on stderr; when they are more than half
 * (the reviews use other labels than the score), bad input, as the dataset's gold is before a run.
 */
function checkStrayGold(
  score: LoadedScore,
  gold: Map<string, string> | undefined,
  io: CliIo,
): void {
  if (gold === undefined) return;
  const counts = new Map<string, number>();
  for (const label of gold.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  const found = strayLabels(counts, score.labels, score.normalization);
  if (found === undefined) return;
  const what = `${found.stray} of ${found.labelled} items of ${score.name} have a reviewed label that is not among its labels (${score.labels.join(', ')}): ${found.listed}`;
  if (found.stray * 2 > found.labelled)
    throw new InvalidConfigError([
      {
        path: '--gold',
        message: `${what}; set the score's labels: to the reviewers' labels, or correct the reviews (plexus feedback export, then import the corrected rows)`,
      },
    ]);
  io.stderr(
    `gold: ${what}; they count as wrong answers (plexus feedback export, correct the label on its row, import that row again)\n`,
  );
}

/** Reviews of a score name the scorecard lacks but nearly has (`Lost Crad`): they are not used. */
function misnamedReviews(
  records: readonly { score: string }[],
  scores: readonly LoadedScore[],
): string[] {
  const names = scores.map((score) => score.name);
  const counts = new Map<string, number>();
  for (const record of records)
    if (!names.includes(record.score))
      counts.set(record.score, (counts.get(record.score) ?? 0) + 1);
  return [...counts].flatMap(([name, count]) => {
    const guess = closest(name, names);
    return guess === undefined
      ? []
      : [
          `gold: ${count} review${count === 1 ? ' is' : 's are'} of "${name}", which no score of the scorecard is named; did you mean "${guess}"? They are not used (import them again with the score's name)\n`,
        ];
  });
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
    // A score name written in another Unicode form (`Café` decomposed) is the scorecard's score:
    // it was told "did you mean" the name looking the same, and its reviews went unused.
    const spelled = namedSpelling(
      store.reviews(),
      scores.map((score) => score.name),
      "the scorecard's score",
    );
    records = spelled.records;
    for (const note of spelled.notes) io.stderr(`gold: ${note}`);
  } finally {
    store.close();
  }
  // Votes counted with labels compared as each score compares them (its normalize_labels).
  const gold = feedbackGold(records, rule, names, (name) => {
    const options = scores.find((score) => score.name === name)?.normalization;
    return (label) => normalizeLabel(label, options);
  });
  for (const line of misnamedReviews(records, scores)) io.stderr(line);
  for (const name of names) {
    checkStrayGold(scores.find((score) => score.name === name)!, gold.labels.get(name), io);
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
