import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementSection } from '../report/agreement-section.js';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { matrixMetrics, oneLabelAgreement } from './classification.js';

/** Scores `rows` (text, gold) with test/contains (yes when the text has "card") into a run folder. */
async function runOf(rows: [string, string][]) {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-kappa-'));
  const data = join(folder, 'data.csv');
  const lines = rows.map(([text, gold], index) => `${index},${text},${gold}`);
  writeFileSync(data, `id,text,Card\n${lines.join('\n')}\n`);
  const yaml = 'name: Kappa\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
  const out = join(folder, 'run');
  await evaluate({ scorecard, data, outDir: out, cache: false });
  return {
    metrics: JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).scores.Card,
    report: readFileSync(join(out, 'report.html'), 'utf8'),
  };
}

describe("Cohen's kappa", () => {
  it('is absent (null), not 1, when gold and answers are all one label: 0/0, nan in scikit-learn', async () => {
    // Every text has "card" and every gold is yes: one label, chance agreement 1.
    const { metrics, report } = await runOf([
      ['card one', 'yes'],
      ['card two', 'yes'],
      ['card three', 'yes'],
    ]);
    expect(metrics.labels).toEqual(['yes']);
    expect(metrics.accuracy).toBe(1);
    expect(metrics.cohen_kappa).toBeNull();
    // AC1's chance agreement divides sum pi (1 - pi) by the number of labels minus one: 0/0 with
    // one label (irrCAC: NaN). It was printed as a perfect 1.
    expect(metrics.gwet_ac1).toBeNull();
    expect(metrics.kappa_ac1_reason).toBe(oneLabelAgreement);
    expect(report).toContain(
      '<div class="name">Cohen&#39;s kappa</div><div class="value">undefined (one label only)</div>',
    );
    expect(report).toContain(
      '<div class="name">Gwet&#39;s AC1</div><div class="value">undefined (one label only)</div>',
    );
  });

  it('is null in matrixMetrics too, the one implementation feedback agreement uses', () => {
    expect(matrixMetrics(['yes'], [[3]])).toMatchObject({
      accuracy: 1,
      cohen_kappa: null,
      gwet_ac1: null,
      kappa_ac1_reason: oneLabelAgreement,
    });
    // Gold all yes, answers all no: two labels, kappa 0 (pe = 0) and AC1 -1 (pe = 1/2).
    expect(
      matrixMetrics(
        ['no', 'yes'],
        [
          [0, 0],
          [3, 0],
        ],
      ),
    ).toMatchObject({
      cohen_kappa: 0,
      gwet_ac1: -1,
      kappa_ac1_reason: null,
    });
  });

  it('is computed as soon as a second label occurs (hand count: 0)', async () => {
    // Gold yes, yes, yes, no; answers all yes: po = 0.75, pe = 0.75 * 1 + 0.25 * 0 = 0.75.
    const { metrics } = await runOf([
      ['card one', 'yes'],
      ['card two', 'yes'],
      ['card three', 'yes'],
      ['card four', 'no'],
    ]);
    expect(metrics.labels).toEqual(['no', 'yes']);
    expect(metrics.cohen_kappa).toBe(0);
    expect(metrics.kappa_ac1_reason).toBeNull();
  });
});

describe("the report's agreement with reviewers", () => {
  it('says kappa and AC1 are undefined where feedback-agreement.json has them null', () => {
    const pair = {
      n: 3,
      accuracy: 1,
      cohen_kappa: null,
      gwet_ac1: null,
      kappa_ac1_reason: oneLabelAgreement,
    };
    const html = agreementSection(
      {
        computed_at: '2026-12-07T00:00:00.000Z',
        scores: {
          Card: {
            items: 3,
            reviewers: 2,
            krippendorff_alpha: null,
            fleiss_kappa: null,
            human_ceiling: pair,
            model_vs_majority: null,
          },
        },
      },
      'Card',
    );
    expect(html).toContain(
      '<td class="number">1.000</td><td class="number">undefined (one label only)</td><td class="number">undefined (one label only)</td>',
    );
  });
});
