import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';

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
    // AC1 over a one-label table: chance agreement sum pi (1 - pi) = 0, so AC1 = 1.
    expect(metrics.gwet_ac1).toBe(1);
    expect(report).toContain('undefined (one label only)');
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
  });
});
