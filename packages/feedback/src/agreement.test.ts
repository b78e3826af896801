import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feedbackAgreement } from './agreement.js';
import { fleissKappa, krippendorffAlphaNominal, pairAgreement } from './agreement-statistics.js';
import type { FeedbackRecord } from './feedback-file.js';

// Made by scripts/agreement-fixtures.py (krippendorff 0.8, statsmodels 0.14, scikit-learn 1.7).
interface Fixture {
  cases: {
    name: string;
    matrix: (string | null)[][];
    expected: { krippendorff_alpha: number; fleiss_kappa: number; fleiss_source: string };
    pairs: {
      first: string[];
      second: string[];
      accuracy: number;
      cohen_kappa: number;
      gwet_ac1: number;
    }[];
  }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/agreement.json', import.meta.url), 'utf8'),
) as Fixture;

function units(matrix: (string | null)[][]): string[][] {
  return matrix[0]!.map((_, item) =>
    matrix.map((row) => row[item]).filter((label): label is string => label !== null),
  );
}

describe('agreement statistics against krippendorff, statsmodels and scikit-learn', () => {
  for (const entry of fixture.cases) {
    it(entry.name, () => {
      expect(
        Math.abs(
          krippendorffAlphaNominal(units(entry.matrix))! - entry.expected.krippendorff_alpha,
        ),
      ).toBeLessThan(1e-9);
      expect(
        Math.abs(fleissKappa(units(entry.matrix))! - entry.expected.fleiss_kappa),
      ).toBeLessThan(1e-9);
      expect(entry.pairs.length).toBeGreaterThan(0);
      for (const pair of entry.pairs) {
        const agreement = pairAgreement(pair.first, pair.second)!;
        expect(Math.abs(agreement.accuracy - pair.accuracy)).toBeLessThan(1e-12);
        expect(Math.abs(agreement.cohen_kappa! - pair.cohen_kappa)).toBeLessThan(1e-9);
        expect(Math.abs(agreement.gwet_ac1! - pair.gwet_ac1)).toBeLessThan(1e-9);
      }
    });
  }

  it('covers statsmodels itself and missing values', () => {
    const sources = fixture.cases.map((entry) => entry.expected.fleiss_source);
    expect(sources).toContain('statsmodels');
    expect(fixture.cases.some((entry) => entry.matrix.flat().includes(null))).toBe(true);
    // Krippendorff (2011) reports 0.743 for this example.
    const example = fixture.cases.find((entry) => entry.name.startsWith('Krippendorff 2011'))!;
    expect(krippendorffAlphaNominal(units(example.matrix))).toBeCloseTo(0.743, 3);
  });

  it('is undefined, not 0, when nothing can be compared', () => {
    expect(krippendorffAlphaNominal([['a'], ['b']])).toBeNull();
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull();
    expect(fleissKappa([['a']])).toBeNull();
    expect(pairAgreement([], [])).toBeNull();
  });
});

function review(item: string, reviewer: string, label: string, day = '2026-03-01'): FeedbackRecord {
  return {
    item_id: item,
    score: 'Greeting',
    label,
    reviewer,
    reviewed_at: `${day}T00:00:00.000Z`,
    comment: null,
  };
}

describe('feedbackAgreement', () => {
  // Hand count: items 1-3 reviewed by ana and ben; ana and ben agree on 1 and 2, not on 3.
  const records = [
    review('1', 'ana', 'yes'),
    review('1', 'ben', 'yes'),
    review('2', 'ana', 'no'),
    review('2', 'ben', 'no', '2026-04-02'),
    review('3', 'ana', 'yes', '2026-04-03'),
    review('3', 'ben', 'no', '2026-04-03'),
    review('4', 'cy', 'no', '2026-04-05'),
    // ana changed her mind on item 1 later: her latest review counts.
    review('1', 'ana', 'yes', '2026-04-09'),
  ];

  it('counts items, reviewers, ties and the model against the majority (by hand)', () => {
    const answers = new Map([
      [
        'Greeting',
        new Map([
          ['1', 'yes'],
          ['2', 'yes'],
          ['3', 'no'],
          ['4', 'no'],
        ]),
      ],
    ]);
    const report = feedbackAgreement(records, { answers });
    const score = report.scores.Greeting!;
    expect(score).toMatchObject({
      items: 4,
      reviewers: 3,
      reviews: 8,
      items_with_two_or_more: 3,
      majority_ties: 1,
    });
    // Majorities: 1 yes, 2 no, 4 no (3 is a tie); the model says yes, yes, no: 2 of 3.
    expect(score.model_vs_majority!.n).toBe(3);
    expect(score.model_vs_majority!.accuracy).toBeCloseTo(2 / 3, 12);
    // ana against ben's label on 1, 2, 3: agrees on 2 of 3.
    expect(score.by_reviewer.ana!.vs_other_reviewers!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(score.by_reviewer.cy!.vs_other_reviewers).toBeNull();
    expect(score.by_reviewer.ben!.model!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(Object.keys(score.by_month)).toEqual(['2026-03', '2026-04']);
    expect(score.by_month['2026-04']!.reviews).toBe(5);
    // Units of pairs (yes,yes), (no,no), (yes,no): n = 6, o(yes,no) = 2, n_yes = n_no = 3: alpha = 1 - 5*2/18.
    expect(score.krippendorff_alpha).toBeCloseTo(1 - (5 * 2) / 18, 12);
  });

  it('compares labels as the run does: case and trailing punctuation do not disagree', () => {
    const shouted = records.map((record) => ({
      ...record,
      label: `${record.label.toUpperCase()}.`,
    }));
    const answers = new Map([
      [
        'Greeting',
        new Map([
          ['1', 'Yes'],
          ['2', 'YES'],
          ['3', 'no.'],
          ['4', 'No'],
        ]),
      ],
    ]);
    const plain = feedbackAgreement(records, { answers }).scores.Greeting!;
    const score = feedbackAgreement(shouted, { answers }).scores.Greeting!;
    expect(score.model_vs_majority!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(score.krippendorff_alpha).toBeCloseTo(plain.krippendorff_alpha!, 12);
  });

  it('leaves the model out without a run', () => {
    const score = feedbackAgreement(records).scores.Greeting!;
    expect(score.model_vs_majority).toBeNull();
    expect(score.by_reviewer.ana!.model).toBeNull();
    expect(score.by_month['2026-03']!.model_accuracy).toBeNull();
  });
});
