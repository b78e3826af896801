import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';
import { pValueText } from './compare-verdict.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-p-text-'));

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

/** The p-value a verdict prints, as a number. */
function printedP(verdict: string): number {
  const match = / p = ([\d.e-]+) /.exec(verdict);
  return Number(match![1]);
}

describe('a p-value is printed on the side of alpha it is on', () => {
  it('prints 67 discordant items split 25/42 (p = 0.0498, SciPy) as below 0.05, not "0.050 < 0.05"', async () => {
    // scipy.stats.binomtest(25, 67, 0.5).pvalue
    const scipyP = 0.04980011429472864;
    // 100 items: B alone right on the first 42, A alone on the next 25, both right on the rest.
    const runA = run('a', 100, (item) => item >= 42);
    const runB = run('b', 100, (item) => item < 42 || item >= 67);
    const score = (await compareRuns({ runA, runB })).scores[0]!;
    expect(score).toMatchObject({ only_a_correct: 25, only_b_correct: 42, significant: true });
    expect(score.mcnemar_p! / scipyP).toBeCloseTo(1, 12);
    expect(score.verdict).toContain('McNemar p = 0.0498 < 0.05');
    expect(printedP(score.verdict)).toBeLessThan(0.05);
  });

  it('keeps two significant digits unless they would land on or across alpha', () => {
    expect(pValueText(0.043285250663757324, 0.05)).toBe('0.043');
    expect(pValueText(0.25, 0.05)).toBe('0.25');
    expect(pValueText(1, 0.05)).toBe('1.0');
    expect(pValueText(1.8e-12, 0.05)).toBe('1.8e-12');
    // scipy.stats.binomtest(117, 267).pvalue: three digits (optimize's) read 0.0500, four do not.
    expect(pValueText(0.04998317639678592, 0.05)).toBe('0.04998');
    // scipy.stats.binomtest(45, 119).pvalue at alpha 0.01.
    expect(pValueText(0.009966324337995335, 0.01)).toBe('0.00997');
    // Above alpha: two digits stay on its side (0.050 >= 0.05).
    expect(pValueText(0.0504, 0.05)).toBe('0.050');
    expect(pValueText(0.05, 0.05)).toBe('0.050');
    // More digits are asked for with `digits` (optimize's three).
    expect(pValueText(0.043285250663757324, 0.05, 3)).toBe('0.0433');
    expect(pValueText(0.04998317639678592, 0.05, 3)).toBe('0.04998');
  });

  it('prints an interval bound that is not 0 as not 0 (5,000 items, 9 vs 1 discordant)', async () => {
    // B alone right on the first 9 items, A alone on the 10th, both right on the other 4,990.
    const runA = run('wide-a', 5000, (item) => item >= 9);
    const runB = run('wide-b', 5000, (item) => item !== 9);
    const score = (await compareRuns({ runA, runB })).scores[0]!;
    // scipy.stats.binomtest(1, 10, 0.5).pvalue = 0.021484375
    expect(score.mcnemar_p).toBeCloseTo(0.021484375, 12);
    const [low, high] = score.accuracy_delta_ci95!;
    // The bootstrap's bounds are whole items: above 0 (the tests agree), below a tenth of a point.
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(0.0005);
    expect(score.tests_agree).toBe(true);
    const shown = /95% CI \+([\d.]+) to \+([\d.]+);/.exec(score.verdict)!;
    expect(Number(shown[1])).toBeGreaterThan(0);
    expect(Number(shown[1]) / 100).toBeCloseTo(low, 4);
    expect(Number(shown[2]) / 100).toBeCloseTo(high, 3);
  });

  it('says by how much a significant run is better when it is under a tenth of a point', async () => {
    // 20,000 items, B alone right on 8, A on none: p = 2 × 0.5^8 (SciPy: 0.0078125), +0.04 points.
    const runA = run('tiny-a', 20_000, (item) => item >= 8);
    const runB = run('tiny-b', 20_000, () => true);
    const score = (await compareRuns({ runA, runB })).scores[0]!;
    expect(score.mcnemar_p).toBeCloseTo(0.0078125, 12);
    expect(score.accuracy_delta).toBeCloseTo(8 / 20_000, 12);
    expect(score.verdict).toMatch(/^significant: Spam \(run B\) is more accurate by 0\.04 points/);
  });
});
