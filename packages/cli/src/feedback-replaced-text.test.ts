import { type FeedbackRecord, feedbackAgreement } from '@plexus/feedback';
import { expect, it } from 'vitest';
import { agreementText } from './commands/feedback.js';

function review(item: string, label: string, at: string): FeedbackRecord {
  const reviewed_at = `${at}T09:00:00.000Z`;
  return { item_id: item, score: 'Greeting', label, reviewer: 'ana', reviewed_at, comment: null };
}

// "1 items, 1 reviewer, 2 reviews" beside "reviewer ana: 1 reviews": the line says which of the
// score's reviews a later one replaced.
it('says how many reviews a later review of the same reviewer replaced', () => {
  const text = agreementText(
    feedbackAgreement([review('i0', 'yes', '2026-01-05'), review('i0', 'no', '2026-02-05')]),
  );
  expect(text).toContain(
    "Greeting: 1 items, 1 reviewer, 2 reviews (1 replaced by the same reviewer's later review) (",
  );
  expect(text).toContain('  reviewer ana: 1 reviews;');
  const once = agreementText(feedbackAgreement([review('i0', 'yes', '2026-01-05')]));
  expect(once).toContain('Greeting: 1 items, 1 reviewer, 1 reviews (0 items');
});
