import { type FeedbackRecord, feedbackAgreement } from '@plexus/feedback';
import { describe, expect, it } from 'vitest';
import { agreementText } from './commands/feedback.js';

function review(item: string, reviewer: string, label: string): FeedbackRecord {
  return {
    item_id: item,
    score: 'Lost Card',
    label,
    reviewer,
    reviewed_at: '2026-12-07T00:00:00.000Z',
    comment: null,
  };
}

describe('feedback agreement text', () => {
  it('says why there is no agreement between reviewers when no item has two reviews', () => {
    const text = agreementText(
      feedbackAgreement([review('a', 'ana', 'yes'), review('b', 'ana', 'no')]),
    );
    expect(text).toContain('Lost Card: 2 items, 1 reviewer, 2 reviews');
    expect(text).toContain(
      "Krippendorff's alpha —  Fleiss' kappa —   (no item has two reviews: agreement needs them)",
    );
  });

  it('says why the kappa and AC1 of the model against the reviews are "—" (one label only)', () => {
    const answers = new Map([
      [
        'Lost Card',
        new Map([
          ['a', 'no'],
          ['b', 'no'],
        ]),
      ],
    ]);
    const text = agreementText(
      feedbackAgreement([review('a', 'ana', 'no'), review('b', 'ana', 'no')], { answers }),
      true,
    );
    expect(text).toContain(
      'model vs majority   n 2  accuracy 1.000  kappa —  AC1 — (one label only)',
    );
  });

  it('gives no such reason once an item has two reviews', () => {
    const text = agreementText(
      feedbackAgreement([review('a', 'ana', 'yes'), review('a', 'ben', 'no')]),
    );
    expect(text).toContain('Lost Card: 1 items, 2 reviewers, 2 reviews');
    expect(text).not.toContain('agreement needs them');
  });
});
