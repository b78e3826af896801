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

/** The most frequent label, or the labels that tied for it (sorted). */
export function majorityLabel(labels: readonly string[]): ReviewGold {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const leaders = [...counts.entries()]
    .filter(([, count]) => count === top)
    .map(([label]) => label);
  return leaders.length === 1 ? { label: leaders[0]! } : { tie: leaders.sort() };
}

function latestLabel(reviews: readonly FeedbackRecord[]): ReviewGold {
  const newest = reviews.reduce((latest, record) =>
    record.reviewed_at > latest.reviewed_at ? record : latest,
  );
  const atSameTime = reviews.filter((record) => record.reviewed_at === newest.reviewed_at);
  return majorityLabel(atSameTime.map((record) => record.label));
}

/**
 * The gold of each item of one score: `latest` the most recent review (reviews at the very same
 * time that disagree are a tie), `majority` the label most reviewers gave (each reviewer's latest
 * review; a tie has no gold and is reported).
 */
export function goldFromReviews(
  records: readonly FeedbackRecord[],
  rule: GoldRule,
): Map<string, ReviewGold> {
  const kept = rule === 'majority' ? latestPerReviewer(records) : records;
  const gold = new Map<string, ReviewGold>();
  for (const [item, reviews] of groupByItem(kept)) {
    gold.set(
      item,
      rule === 'latest' ? latestLabel(reviews) : majorityLabel(reviews.map((r) => r.label)),
    );
  }
  return gold;
}

/** Gold labels of every reviewed score: score → item → gold; ties listed apart. */
export interface FeedbackGold {
  labels: Map<string, Map<string, string>>;
  ties: { score: string; item_id: string; labels: string[] }[];
}

/** Feedback gold for these scores (all reviewed scores when none are named). */
export function feedbackGold(
  records: readonly FeedbackRecord[],
  rule: GoldRule,
  scores?: readonly string[],
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
    for (const [item, gold] of goldFromReviews(reviews, rule)) {
      if ('label' in gold) items.set(item, gold.label);
      else ties.push({ score, item_id: item, labels: gold.tie });
    }
    labels.set(score, items);
  }
  return { labels, ties };
}
