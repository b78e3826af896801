// A reviewer who changed their mind counts once (their latest review) in every figure; the score's
// `reviews` counts every review, and said 5 where its reviewers and its months added up to 3,
// without a word: `replaced_reviews` says how many of them a later review replaced.
import { describe, expect, it } from 'vitest';
import { feedbackAgreement } from './agreement.js';
import type { FeedbackRecord } from './feedback-file.js';

function review(item: string, reviewer: string, label: string, at: string): FeedbackRecord {
  return {
    item_id: item,
    score: 'Greeting',
    label,
    reviewer,
    reviewed_at: `${at}T09:00:00.000Z`,
    comment: null,
  };
}

describe('feedback agreement counts', () => {
  it("counts each reviewer's latest review of an item, and says how many it replaced", () => {
    const records = [
      review('i0', 'ana', 'yes', '2026-01-05'),
      review('i0', 'ana', 'no', '2026-02-05'), // ana changed her mind: this one counts
      review('i1', 'ana', 'yes', '2026-01-06'),
      review('i1', 'bo', 'yes', '2026-01-07'),
      review('i1', 'bo', 'no', '2026-01-02'), // older than bo's other review of i1: replaced
    ];
    const score = feedbackAgreement(records).scores.Greeting!;
    // By hand: ana i0 (Feb), ana i1, bo i1 (Jan 7) count; ana i0 (Jan) and bo i1 (Jan 2) replaced.
    expect(score.reviews).toBe(5);
    expect(score.replaced_reviews).toBe(2);
    const byReviewer = Object.values(score.by_reviewer).reduce((sum, r) => sum + r.reviews, 0);
    const byMonth = Object.values(score.by_month).reduce((sum, m) => sum + m.reviews, 0);
    expect(byReviewer).toBe(score.reviews - score.replaced_reviews);
    expect(byMonth).toBe(score.reviews - score.replaced_reviews);
  });

  it('replaces none when every reviewer reviewed an item once', () => {
    const score = feedbackAgreement([review('i0', 'ana', 'yes', '2026-01-05')]).scores.Greeting!;
    expect(score.reviews).toBe(1);
    expect(score.replaced_reviews).toBe(0);
  });
});
