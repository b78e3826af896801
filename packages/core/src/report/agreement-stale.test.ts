// The report showed `plexus feedback agreement --run`'s model figures of the results the run had
// when they were computed: a resume since (`--retry-errors` answering 2 more items) left "model vs
// reviewers' majority: 2 items, accuracy 0.500" where the run's results give 4 items, 0.750. It
// also gave "no item reviewed by two or more reviewers" for items with three reviews that tie.
import { describe, expect, it } from 'vitest';
import { agreementSection, type FeedbackAgreementFile } from './agreement-section.js';

const pair = { n: 2, accuracy: 0.5, cohen_kappa: 0, gwet_ac1: 0.2, kappa_ac1_reason: null };

function file(
  computedAt: string,
  fields: Partial<FeedbackAgreementFile['scores'][string]> = {},
): FeedbackAgreementFile {
  return {
    computed_at: computedAt,
    scores: {
      Spam: {
        items: 4,
        reviewers: 1,
        krippendorff_alpha: null,
        fleiss_kappa: null,
        human_ceiling: null,
        model_vs_majority: pair,
        ...fields,
      },
    },
  };
}

describe("the report's reviewers table", () => {
  it("leaves out the model's figures computed before the run's last end, saying so", () => {
    const html = agreementSection(
      file('2026-12-07T08:31:53.278Z'),
      'Spam',
      '2026-12-07T08:32:10.000Z',
    );
    expect(html).not.toContain('<td class="number">0.500</td>');
    expect(html).toContain(
      'computed at 2026-12-07T08:31:53.278Z, before the run last ended (2026-12-07T08:32:10.000Z): run plexus feedback agreement --run on this run again',
    );
  });

  it("shows the model's figures computed after the run ended", () => {
    const html = agreementSection(
      file('2026-12-07T08:40:00.000Z'),
      'Spam',
      '2026-12-07T08:32:10.000Z',
    );
    expect(html).toContain('<td class="number">2</td><td class="number">0.500</td>');
    expect(html).not.toContain('before the run last ended');
  });

  it('says why a figure is absent as the file records it: ties, not "no item reviewed twice"', () => {
    const html = agreementSection(
      file('2026-12-07T08:40:00.000Z', {
        items: 2,
        reviewers: 3,
        items_with_two_or_more: 2,
        majority_ties: 2,
        model_vs_majority: null,
      }),
      'Spam',
      '2026-12-07T08:32:10.000Z',
    );
    expect(html).not.toContain('no item reviewed by two or more reviewers');
    expect(html).toContain(
      'no reviewer&#39;s label has a majority of the item&#39;s other reviewers to meet',
    );
    expect(html).toContain(
      'every reviewed item is a tie between its reviewers (2 of 2): no majority label',
    );
  });
});
