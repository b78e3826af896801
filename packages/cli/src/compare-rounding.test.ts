// Figures of `plexus compare`, the viewer's compare page and optimize's changelog never rounded onto
// the other side of what they are compared with: a p onto alpha, a bound above 0 onto 0.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changelogMarkdown } from './optimize/changelog.js';
import type { RoundEntry } from './optimize/round.js';
import { runMain } from './test-packages.js';
import { pValue, signed } from './view/compare-page.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-rounding-'));

/** A run folder whose `spam` item i is answered right when `right(i)`. */
function run(name: string, items: number, right: (item: number) => boolean): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: items }, (_, item) =>
    JSON.stringify({
      item_id: `i${item}`,
      score: 'Spam',
      value: right(item) ? 'spam' : 'ham',
      status: 'ok',
      label: 'spam',
      correct: right(item),
    }),
  );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

// scipy.stats.binomtest(117, 267, 0.5).pvalue: 117 vs 150 discordant holdout items, below 0.05.
const justBelow = 0.04998317639678592;
// scipy.stats.binomtest(25, 67, 0.5).pvalue.
const twentyFiveOfSixtySeven = 0.04980011429472864;

function acceptedRound(p: number): RoundEntry {
  return {
    round: 1,
    outcome: 'accepted',
    edit: null,
    reason: null,
    version: 'card.v2.yaml',
    metrics: {
      train: { current: 0.5, candidate: 0.6 },
      validation: { current: 0.5, candidate: 0.6 },
      holdout: { current: 0.5, candidate: 0.6, items: 600 },
    },
    p_value: p,
    cost_per_item: { current: null, candidate: null },
    generalisation_gap: 0,
    dropped: [],
    candidates: [],
    why: 'accepted',
  };
}

describe('a p-value below alpha is never printed as alpha', () => {
  it('changelog.md prints 0.04998 for an accepted round, not 0.0500 (three digits)', () => {
    const text = changelogMarkdown({
      scorecard: 'card.yaml',
      score: 'Spam',
      alpha: 0.05,
      max_cost_increase: 0.2,
      spent_usd: 0,
      rounds: [acceptedRound(justBelow)],
      stopped: null,
    });
    expect(text).toContain('| 0.04998 |');
    expect(text).not.toContain('0.0500');
    // Holdout 0.9995 → 0.9998 (600 items would not give these; the figures are what matter here).
    const near = acceptedRound(justBelow);
    near.metrics.holdout = { current: 0.9995, candidate: 0.9998, items: 10_000 };
    near.generalisation_gap = 0.0002;
    const table = changelogMarkdown({
      scorecard: 'card.yaml',
      score: 'Spam',
      alpha: 0.05,
      max_cost_increase: 0.2,
      spent_usd: 0,
      rounds: [near],
      stopped: null,
    });
    expect(table).toContain('| >0.999 → >0.999 (n 10000) |');
    expect(table).toContain('| 0.0002 |');
  });

  it("the viewer's compare page prints 0.0498 at alpha 0.05, not 0.050", () => {
    expect(pValue(twentyFiveOfSixtySeven, 0.05)).toBe('0.0498');
    expect(pValue(0.043285250663757324, 0.05)).toBe('0.043');
    expect(pValue(1.8e-12, 0.05)).toBe('1.8e-12');
    expect(pValue(null, 0.05)).toBe('—');
    // Below 0.001 but near an alpha as small: more digits than the exponent form's one.
    expect(pValue(0.000998, 0.001)).toBe('0.000998');
  });

  it("the viewer's compare page shows an interval bound above 0 as above 0", () => {
    // 2 of 5,000 items: the lowest bound of the 9 vs 1 runs of core's compare-p-text test.
    expect(signed(0.0004)).toBe('+0.0004');
    expect(signed(-0.0004)).toBe('-0.0004');
    expect(signed(0)).toBe('+0.000');
    expect(signed(0.0123)).toBe('+0.012');
  });

  it('plexus compare prints F1 bounds above 0 as above 0 and p = 0.0498 as below 0.05', async () => {
    // 5,000 items, B alone right on the first 9, A alone on the 10th: bounds of a few items.
    const wide = await runMain([
      'compare',
      run('w-a', 5000, (i) => i >= 9),
      run('w-b', 5000, (i) => i !== 9),
      '--json',
    ]);
    const json = JSON.parse(wide.stdout).scores[0];
    const [low] = json.f1_macro_delta_ci95 as [number, number];
    expect(low).toBeGreaterThan(0);
    const text = await runMain(['compare', join(folder, 'w-a'), join(folder, 'w-b')]);
    const shown = /\(B-A ([\d.e-]+), 95% CI ([\d.e-]+) to ([\d.e-]+)\)/.exec(text.stdout)!;
    expect(Number(shown[2])).toBeGreaterThan(0);
    expect(Number(shown[2])).toBeCloseTo(low, 4);
    expect(Number(shown[1])).toBeCloseTo(json.f1_macro_delta, 4);
    // 100 items, 25 vs 42 discordant: SciPy's binomtest p = 0.0498.
    const close = await runMain([
      'compare',
      run('c-a', 100, (i) => i >= 42),
      run('c-b', 100, (i) => i < 42 || i >= 67),
    ]);
    expect(close.stdout).toContain('McNemar p = 0.0498 < 0.05');
  });
});
