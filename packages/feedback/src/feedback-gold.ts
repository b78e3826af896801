import { type LabelNormalizer, normalizeLabel } from '@plexus/core';
import type { FeedbackRecord } from './feedback-file.js';

/** How an item's gold is taken from its reviews. */
export type GoldRule = 'latest' | 'majority';

/** An item's gold from its reviews, or the labels that tied (no gold). */
export type ReviewGold = { label: string } | { tie: string[] };

/** Each reviewer's latest review of each item and score (a reviewer who changed their mind counts once). */
export function latestPerReviewer(records: readonly FeedbackRecord[]): FeedbackRecord[] {
  const latest = new Map<string, FeedbackRecord>();
  for (const record of records) {
    const key = JSON.stringify([record.score, record.item_id, record.reviewer]);
    const old = latest.get(key);
    if (!old || old.reviewed_at <= record.reviewed_at) latest.set(key, record);
  }
  return [...latest.values()];
}

function groupByItem(records: readonly FeedbackRecord[]): Map<string, FeedbackRecord[]> {
  const groups = new Map<string, FeedbackRecord[]>();
  for (const record of records) {
    const group = groups.get(record.item_id);
    if (group) group.push(record);
    else groups.set(record.item_id, [record]);
  }
  return groups;
}

/**
 * The most frequent label, or the labels that tied for it (sorted). Labels are counted as `same`
 * compares them (as given by default; the score's way for gold: `Yes ` and `yes` are one vote
 * each for `yes`), each named by its first spelling.
 */
export function majorityLabel(
  labels: readonly string[],
  same: LabelNormalizer = (label) => label,
): ReviewGold {
  const counts = new Map<string, { label: string; count: number }>();
  for (const label of labels) {
    const key = same(label);
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { label, count: 1 });
  }
  const top = Math.max(...[...counts.values()].map((entry) => entry.count));
  const leaders = [...counts.values()]
    .filter((entry) => entry.count === top)
    .map((entry) => entry.label);
  return leaders.length === 1 ? { label: leaders[0]! } : { tie: leaders.sort() };
}

function latestLabel(reviews: readonly FeedbackRecord[], same: LabelNormalizer): ReviewGold {
  const newest = reviews.reduce((latest, record) =>
    record.reviewed_at > latest.reviewed_at ? record : latest,
  );
  const atSameTime = reviews.filter((record) => record.reviewed_at === newest.reviewed_at);
  return majorityLabel(
    atSameTime.map((record) => record.label),
    same,
  );
}

/**
 * The gold of each item of one score: `latest` the most recent review (reviews at the very same
 * time that disagree are a tie), `majority` the label most reviewers gave (each reviewer's latest
 * review; a tie has no gold and is reported). Labels agree as `same` compares them: the score's
 * `normalize_labels` (default: `normalizeLabel`, so `Yes ` and `yes` are one label).
 */
export function goldFromReviews(
  records: readonly FeedbackRecord[],
  rule: GoldRule,
  same: LabelNormalizer = normalizeLabel,
): Map<string, ReviewGold> {
  const kept = rule === 'majority' ? latestPerReviewer(records) : records;
  const gold = new Map<string, ReviewGold>();
  for (const [item, reviews] of groupByItem(kept)) {
    gold.set(
      item,
      rule === 'latest'
        ? latestLabel(reviews, same)
        : majorityLabel(
            reviews.map((r) => r.label),
            same,
          ),
    );
  }
  return gold;
}

/** Gold labels of every reviewed score: score → item → gold; ties listed apart. */
export interface FeedbackGold {
  labels: Map<string, Map<string, string>>;
  ties: { score: string; item_id: string; labels: string[] }[];
}

/**
 * Feedback gold for these scores (all reviewed scores when none are named); `normalizer` gives
 * how each score compares labels (its `normalize_labels`; default `normalizeLabel`).
 */
export function feedbackGold(
  records: readonly FeedbackRecord[],
  rule: GoldRule,
  scores?: readonly string[],
  normalizer?: (score: string) => LabelNormalizer,
): FeedbackGold {
  const labels = new Map<string, Map<string, string>>();
  const ties: FeedbackGold['ties'] = [];
  const byScore = new Map<string, FeedbackRecord[]>();
  for (const record of records) {
    if (scores && !scores.includes(record.score)) continue;
    const group = byScore.get(record.score);
    if (group) group.push(record);
    else byScore.set(record.score, [record]);
  }
  for (const [score, reviews] of byScore) {
    const items = new Map<string, string>();
    for (const [item, gold] of goldFromReviews(reviews, rule, normalizer?.(score))) {
      if ('label' in gold) items.set(item, gold.label);
      else ties.push({ score, item_id: item, labels: gold.tie });
    }
    labels.set(score, items);
  }
  return { labels, ties };
}
