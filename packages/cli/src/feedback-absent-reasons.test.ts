// `plexus feedback agreement` printed a bare "n/a" for the model against the reviewers' majority
// when every item's reviewers tie, and for the human ceiling when no review has a majority among
// the other reviewers: absent without a word.
import { feedbackAgreement } from '@plexus/feedback';
import { describe, expect, it } from 'vitest';
import { agreementText } from './commands/feedback.js';

function review(item: string, reviewer: string, label: string) {
  return {
    item_id: item,
    score: 'Lost Card',
    label,
    reviewer,
    reviewed_at: '2026-01-01T00:00:00.000Z',
    comment: null,
  };
}

const answers = new Map([
  [
    'Lost Card',
    new Map([
      ['a', 'yes'],
      ['b', 'no'],
    ]),
  ],
]);

describe('feedback agreement says why a figure is n/a', () => {
  it('two reviewers who disagree on every item: no majority for the model to meet', () => {
    const records = [
      review('a', 'ana', 'yes'),
      review('a', 'ben', 'no'),
      review('b', 'ana', 'no'),
      review('b', 'ben', 'yes'),
    ];
    const text = agreementText(feedbackAgreement(records, { answers }), true);
    // Hand count: 2 items, 2 ties; the model agrees with ana on both, with ben on none.
    expect(text).toContain('(2 items reviewed twice or more, 2 majority ties)');
    expect(text).toContain(
      '  model vs majority   n/a: every reviewed item is a tie between its reviewers (2 of 2): no majority label',
    );
    expect(text).toContain('model vs them: n 2  accuracy 1.000');
    expect(text).toContain('model vs them: n 2  accuracy 0.000');
    // Each reviewer against the other's (single) label: 0 of 2 alike.
    expect(text).toContain('  human ceiling       n 4  accuracy 0.000');
  });

  it('three reviewers who each give another label: no majority among the others', () => {
    const records = [review('a', 'ana', 'yes'), review('a', 'ben', 'no'), review('a', 'cy', 'na')];
    const text = agreementText(feedbackAgreement(records));
    expect(text).toContain(
      "  human ceiling       n/a: no reviewer's label has a majority of the item's other reviewers to meet",
    );
    expect(text).toContain(
      'reviewer ana: 1 reviews; vs others: n/a: no item of theirs has a majority among its other reviewers',
    );
  });

  it('one reviewer: the human ceiling needs items reviewed twice', () => {
    const text = agreementText(feedbackAgreement([review('a', 'ana', 'yes')]));
    expect(text).toContain('  human ceiling       n/a: no item reviewed by two or more reviewers');
  });

  it('a model agreeing with 2,999 of 3,000 reviews reads >0.999, not 1.000', () => {
    const records = Array.from({ length: 3000 }, (_, item) => review(`i${item}`, 'ana', 'yes'));
    const said = new Map(
      records.map((record, item) => [record.item_id, item === 0 ? 'no' : 'yes']),
    );
    const text = agreementText(
      feedbackAgreement(records, { answers: new Map([['Lost Card', said]]) }),
      true,
    );
    expect(text).toContain('model vs majority   n 3000  accuracy >0.999');
    expect(text).not.toContain('1.000');
  });
});
