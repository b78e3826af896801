import { type LabelNormalizer, nameRecord, normalizeLabel } from '@plexus/core';
import {
  fleissKappa,
  krippendorffAlphaNominal,
  type PairAgreement,
  pairAgreement,
} from './agreement-statistics.js';
import type { FeedbackRecord } from './feedback-file.js';
import { latestPerReviewer, majorityLabel } from './feedback-gold.js';

/** A run's answers: score → item → value (results with a value only). */
export type RunAnswers = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** One reviewer: their reviews, their agreement with the other reviewers' majority and the model's with them. */
export interface ReviewerAgreement {
  reviews: number;
  /** This reviewer against the majority of the others, on items where the others have one. */
  vs_other_reviewers: PairAgreement | null;
  /** The model against this reviewer (with a run). */
  model: PairAgreement | null;
}

export interface MonthAgreement {
  reviews: number;
  items: number;
  reviewers: number;
  krippendorff_alpha: number | null;
  /** The model against the reviews of that month (with a run). */
  model_accuracy: number | null;
}

export interface ScoreAgreement {
  items: number;
  reviewers: number;
  /** Every review of the score, those `replaced_reviews` included. */
  reviews: number;
  /**
   * Of `reviews`, those replaced by the same reviewer's later review of the item: in no figure
   * (`by_reviewer` and `by_month` count the others, each reviewer's latest).
   */
  replaced_reviews: number;
  /** Items with two or more reviewers: what alpha and Fleiss' kappa are computed on. */
  items_with_two_or_more: number;
  krippendorff_alpha: number | null;
  fleiss_kappa: number | null;
  /** Items whose reviewers tie (no majority). */
  majority_ties: number;
  /** Every reviewer's labels against the majority of the other reviewers, pooled: what a human reaches. */
  human_ceiling: PairAgreement | null;
  /** The model against the reviewers' majority (with a run): on items with a majority and an answer. */
  model_vs_majority: PairAgreement | null;
  by_reviewer: Record<string, ReviewerAgreement>;
  by_month: Record<string, MonthAgreement>;
}

export interface AgreementReport {
  scores: Record<string, ScoreAgreement>;
}

function byItem(records: readonly FeedbackRecord[]): Map<string, FeedbackRecord[]> {
  const items = new Map<string, FeedbackRecord[]>();
  for (const record of records) {
    const list = items.get(record.item_id);
    if (list) list.push(record);
    else items.set(record.item_id, [record]);
  }
  return items;
}

/** Pairs (reference, other) collected for `pairAgreement`. */
class Pairs {
  readonly reference: string[] = [];
  readonly other: string[] = [];
  add(reference: string, other: string): void {
    this.reference.push(reference);
    this.other.push(other);
  }
  agreement(): PairAgreement | null {
    return pairAgreement(this.reference, this.other);
  }
}

function reviewerAgreement(
  items: Map<string, FeedbackRecord[]>,
  answers: ReadonlyMap<string, string> | undefined,
): { byReviewer: Record<string, ReviewerAgreement>; ceiling: PairAgreement | null } {
  const humans = new Map<string, Pairs>();
  const models = new Map<string, Pairs>();
  const counts = new Map<string, number>();
  const pooled = new Pairs();
  for (const [item, reviews] of items) {
    for (const review of reviews) {
      counts.set(review.reviewer, (counts.get(review.reviewer) ?? 0) + 1);
      const answer = answers?.get(item);
      if (answer !== undefined) {
        if (!models.has(review.reviewer)) models.set(review.reviewer, new Pairs());
        models.get(review.reviewer)!.add(review.label, answer);
      }
      const others = reviews.filter((other) => other !== review).map((other) => other.label);
      if (others.length === 0) continue;
      const majority = majorityLabel(others);
      if (!('label' in majority)) continue;
      if (!humans.has(review.reviewer)) humans.set(review.reviewer, new Pairs());
      humans.get(review.reviewer)!.add(majority.label, review.label);
      pooled.add(majority.label, review.label);
    }
  }
  const byReviewer = nameRecord<ReviewerAgreement>();
  for (const reviewer of [...counts.keys()].sort()) {
    byReviewer[reviewer] = {
      reviews: counts.get(reviewer)!,
      vs_other_reviewers: humans.get(reviewer)?.agreement() ?? null,
      model: answers ? (models.get(reviewer)?.agreement() ?? null) : null,
    };
  }
  return { byReviewer, ceiling: pooled.agreement() };
}

function monthAgreement(
  records: readonly FeedbackRecord[],
  answers: ReadonlyMap<string, string> | undefined,
): Record<string, MonthAgreement> {
  const months = new Map<string, FeedbackRecord[]>();
  for (const record of records) {
    const month = record.reviewed_at.slice(0, 7);
    const list = months.get(month);
    if (list) list.push(record);
    else months.set(month, [record]);
  }
  const result = nameRecord<MonthAgreement>();
  for (const month of [...months.keys()].sort()) {
    const reviews = months.get(month)!;
    const items = byItem(reviews);
    const answered = reviews.filter((review) => answers?.has(review.item_id));
    const correct = answered.filter((review) => answers!.get(review.item_id) === review.label);
    result[month] = {
      reviews: reviews.length,
      items: items.size,
      reviewers: new Set(reviews.map((review) => review.reviewer)).size,
      krippendorff_alpha: krippendorffAlphaNominal(
        [...items.values()].map((list) => list.map((review) => review.label)),
      ),
      model_accuracy: answered.length > 0 ? correct.length / answered.length : null,
    };
  }
  return result;
}

/**
 * Agreement of one score's reviews, and of a run's answers with them. `normalize`: how the score
 * compares labels (with a run, its `normalize_labels` from the run folder: core's `runNormalizers`).
 */
export function scoreAgreement(
  records: readonly FeedbackRecord[],
  modelAnswers?: ReadonlyMap<string, string>,
  normalize: LabelNormalizer = normalizeLabel,
): ScoreAgreement {
  // Labels compared as the run's metrics compare them (`Yes.` is `yes`), on both sides.
  const answers =
    modelAnswers && new Map([...modelAnswers].map(([item, answer]) => [item, normalize(answer)]));
  const latest = latestPerReviewer(
    records.map((record) => ({ ...record, label: normalize(record.label) })),
  );
  const items = byItem(latest);
  const units = [...items.values()].map((reviews) => reviews.map((review) => review.label));
  const model = new Pairs();
  let ties = 0;
  for (const [item, reviews] of items) {
    const majority = majorityLabel(reviews.map((review) => review.label));
    if (!('label' in majority)) {
      ties += 1;
      continue;
    }
    const answer = answers?.get(item);
    if (answer !== undefined) model.add(majority.label, answer);
  }
  const { byReviewer, ceiling } = reviewerAgreement(items, answers);
  return {
    items: items.size,
    reviewers: new Set(latest.map((review) => review.reviewer)).size,
    reviews: records.length,
    replaced_reviews: records.length - latest.length,
    items_with_two_or_more: units.filter((labels) => labels.length >= 2).length,
    krippendorff_alpha: krippendorffAlphaNominal(units),
    fleiss_kappa: fleissKappa(units),
    majority_ties: ties,
    human_ceiling: ceiling,
    model_vs_majority: answers ? model.agreement() : null,
    by_reviewer: byReviewer,
    by_month: monthAgreement(latest, answers),
  };
}

/**
 * Agreement per score (only `scores` when given); `answers` from a run adds the model's side, and
 * `normalizer` (the run's, core's `runNormalizers(run)`) compares each score's labels as the run did.
 */
export function feedbackAgreement(
  records: readonly FeedbackRecord[],
  options: {
    scores?: readonly string[];
    answers?: RunAnswers;
    normalizer?: (score: string) => LabelNormalizer;
  } = {},
): AgreementReport {
  const byScore = new Map<string, FeedbackRecord[]>();
  for (const record of records) {
    if (options.scores && options.scores.length > 0 && !options.scores.includes(record.score))
      continue;
    const list = byScore.get(record.score);
    if (list) list.push(record);
    else byScore.set(record.score, [record]);
  }
  const scores = nameRecord<ScoreAgreement>();
  for (const name of [...byScore.keys()].sort())
    scores[name] = scoreAgreement(
      byScore.get(name)!,
      options.answers?.get(name),
      options.normalizer?.(name),
    );
  return { scores };
}
