// Cohen's kappa and Gwet's AC1 of two raters, as core's metrics compute them (one implementation):
// both undefined (null, with the reason) when the raters used one label only, checked by hand
// elsewhere.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { describe, expect, it } from 'vitest';
import { feedbackAgreement } from './agreement.js';
import { pairAgreement } from './agreement-statistics.js';
import { readFeedbackFile } from './feedback-file.js';
import { readRunAnswers } from './run-answers.js';

const oneLabel =
  'one label only (both sides gave the same single label): chance agreement is certain, so kappa is 0/0 and AC1 divides by the number of labels minus one, 0';

describe('pairAgreement', () => {
  it("gives Gwet's AC1 and Cohen's kappa of the hand computation (irrCAC's formula)", () => {
    // po = 3/4; pi_a = (3 + 2) / 8, pi_b = 3/8: pe = 2 * 5/8 * 3/8 / (2 - 1) = 15/32.
    // AC1 = (3/4 - 15/32) / (1 - 15/32) = 9/17; kappa: pe = (3 * 2 + 1 * 2) / 16 = 1/2, so 1/2.
    const two = pairAgreement(['a', 'a', 'a', 'b'], ['a', 'a', 'b', 'b'])!;
    expect(two.gwet_ac1).toBeCloseTo(9 / 17, 12);
    expect(two.cohen_kappa).toBeCloseTo(0.5, 12);
    expect(two.kappa_ac1_reason).toBeNull();
    // Three labels: po = 5/8; pi = 1/2, 1/4, 1/4: pe = (1/4 + 3/16 + 3/16) / 2 = 5/16, AC1 = 5/11;
    // kappa: pe = (4 * 4 + 2 * 2 + 2 * 2) / 64 = 3/8, (5/8 - 3/8) / (5/8) = 2/5.
    const three = pairAgreement(
      ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c'],
      ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'a'],
    )!;
    expect(three.accuracy).toBe(5 / 8);
    expect(three.gwet_ac1).toBeCloseTo(5 / 11, 12);
    expect(three.cohen_kappa).toBeCloseTo(2 / 5, 12);
    // Each rater one label, not the same: two labels; kappa 0 (pe 0), AC1 (0 - 1/2) / (1/2) = -1.
    expect(pairAgreement(['yes', 'yes'], ['no', 'no'])).toMatchObject({
      cohen_kappa: 0,
      gwet_ac1: -1,
      kappa_ac1_reason: null,
    });
  });

  it('is null, not 1, for kappa and AC1 when both raters gave one and the same label', () => {
    expect(pairAgreement(['yes', 'yes', 'yes'], ['yes', 'yes', 'yes'])).toEqual({
      n: 3,
      accuracy: 1,
      cohen_kappa: null,
      gwet_ac1: null,
      kappa_ac1_reason: oneLabel,
    });
  });
});

describe('feedback agreement with a run, all one label', () => {
  it('saves kappa and AC1 as null with the reason for the model and the reviewers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-agreement-one-label-'));
    const data = join(folder, 'calls.csv');
    writeFileSync(data, 'id,text\nc1,card one\nc2,card two\nc3,card three\n');
    const reviews = join(folder, 'reviews.csv');
    writeFileSync(
      reviews,
      [
        'item_id,score,label,reviewer,reviewed_at,comment',
        'c1,Card,yes,ana,2026-03-01,',
        'c1,Card,yes,ben,2026-03-01,',
        'c2,Card,yes,ana,2026-03-02,',
        'c2,Card,yes,ben,2026-03-02,',
        'c3,Card,Yes.,ana,2026-03-03,',
      ].join('\n'),
    );
    const yaml = 'name: One\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const run = join(folder, 'run');
    await evaluate({ scorecard, data, outDir: run, cache: false });
    const { records } = await readFeedbackFile(reviews);
    const report = feedbackAgreement(records, { answers: await readRunAnswers(run) });
    const score = report.scores.Card!;
    expect(score.model_vs_majority).toEqual({
      n: 3,
      accuracy: 1,
      cohen_kappa: null,
      gwet_ac1: null,
      kappa_ac1_reason: oneLabel,
    });
    expect(score.human_ceiling).toMatchObject({ n: 4, cohen_kappa: null, gwet_ac1: null });
    expect(score.by_reviewer.ana!.model).toMatchObject({ n: 3, gwet_ac1: null });
    // Saved as JSON (feedback-agreement.json): null, never a perfect 1.
    expect(JSON.stringify(score)).not.toMatch(/"(cohen_kappa|gwet_ac1)":1/);
  });
});
