import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-errors-'));

type Outcome = { status: 'ok'; value: string } | { status: 'error' } | { status: 'skipped' };

/** A run folder whose results.jsonl holds one line per item, as toResultLine writes them. */
function run(name: string, items: number, outcome: (item: number) => Outcome): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = Array.from({ length: items }, (_, item) => {
    const result = outcome(item);
    const label = gold(item);
    const value = result.status === 'ok' ? result.value : null;
    return JSON.stringify({
      item_id: `i${item}`,
      score: 'Spam',
      value,
      status: result.status,
      label,
      correct: value === null ? null : value === label,
      error: result.status === 'error' ? { message: 'HTTP 500' } : null,
    });
  });
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

const gold = (item: number) => (item % 2 ? 'spam' : 'ham');
const flip = (label: string) => (label === 'spam' ? 'ham' : 'spam');
const answer = (value: string): Outcome => ({ status: 'ok', value });

/** McNemar's exact p by exact integer binomial sums, independent of the log-space implementation. */
function exactMcnemar(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  let choose = 1n;
  let tail = 0n;
  for (let k = 0; k <= Math.min(onlyA, onlyB); k += 1) {
    tail += choose;
    choose = (choose * BigInt(n - k)) / BigInt(k + 1);
  }
  const scale = 10n ** 40n;
  return Math.min(1, (2 * Number((tail * scale) / 2n ** BigInt(n))) / 1e40);
}

const f1 = (tp: number, predicted: number, support: number) => {
  const precision = tp / predicted;
  const recall = tp / support;
  return (2 * precision * recall) / (precision + recall);
};

// 400 labelled items (even ham, odd spam), then 10 that run B skipped (a condition not met).
// A fails on every 4th item (100 hams) and is right elsewhere. B is wrong on every 20th item
// (20 hams, called spam) and on items 5, 15, 25, ... (40 spams, called ham).
const failsOnHardItems = run('a', 410, (item) =>
  item % 4 === 0 && item < 400 ? { status: 'error' } : answer(gold(item)),
);
const answersEverything = run('b', 410, (item) =>
  item >= 400
    ? { status: 'skipped' }
    : item % 20 === 0 || item % 10 === 5
      ? answer(flip(gold(item)))
      : answer(gold(item)),
);

describe('compare counts errors', () => {
  it('counts an error as wrong by default, so failing on the hard items does not win', async () => {
    const result = await compareRuns({ runA: failsOnHardItems, runB: answersEverything });
    expect(result.errors).toBe('wrong');
    const [score] = result.scores;
    // Hand count: 400 items due in both; A right on 300, B on 340; only A right on the 40 items
    // B got wrong that A answered, only B right on the 80 items A failed that B got right.
    expect(score).toMatchObject({
      n: 400,
      errors_a: 100,
      errors_b: 0,
      only_a_correct: 40,
      only_b_correct: 80,
    });
    expect(score!.accuracy_a).toBeCloseTo(300 / 400, 12);
    expect(score!.accuracy_b).toBeCloseTo(340 / 400, 12);
    expect(score!.mcnemar_p).toBeCloseTo(exactMcnemar(40, 80), 12);
    expect(score!.mcnemar_p).toBeLessThan(0.05);
    // Macro F1 over ham and spam; an error lowers its gold class's recall and is not a class.
    // A: ham 100 right of 200, predicted ham 100 times; spam 200 of 200.
    expect(score!.f1_macro_a).toBeCloseTo((f1(100, 100, 200) + f1(200, 200, 200)) / 2, 12);
    // B: ham 180 right of 200, predicted 220 times; spam 160 of 200, predicted 180 times.
    expect(score!.f1_macro_b).toBeCloseTo((f1(180, 220, 200) + f1(160, 180, 200)) / 2, 12);
    const [low, high] = score!.accuracy_delta_ci95!;
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(low);
    expect(score!.verdict).toContain('Spam (run B) is more accurate by 10.0 points (95% CI +');
  });

  it('leaves errors out with errors: exclude, and the verdict interval has its sign', async () => {
    const result = await compareRuns({
      runA: failsOnHardItems,
      runB: answersEverything,
      errors: 'exclude',
    });
    const [score] = result.scores;
    // Hand count: the 300 items both answered; A right on all, B wrong on the 40 odd ones.
    expect(score).toMatchObject({
      n: 300,
      errors_a: 100,
      errors_b: 0,
      only_a_correct: 40,
      only_b_correct: 0,
    });
    expect(score!.accuracy_a).toBe(1);
    expect(score!.accuracy_b).toBeCloseTo(260 / 300, 12);
    expect(score!.mcnemar_p).toBeCloseTo(exactMcnemar(40, 0), 15);
    // The JSON interval is of B - A (negative here); the verdict names A, so it shows A - B.
    const [low, high] = score!.accuracy_delta_ci95!;
    expect(high).toBeLessThan(0);
    const shown = score!.verdict.match(
      /^significant: Spam \(run A\) is more accurate by 13\.3 points \(95% CI ([+-][\d.]+) to ([+-][\d.]+);/,
    );
    expect(shown, score!.verdict).not.toBeNull();
    expect(Number(shown![1])).toBeCloseTo(-high * 100, 1);
    expect(Number(shown![2])).toBeCloseTo(-low * 100, 1);
    expect(Number(shown![1])).toBeGreaterThan(0);
  });

  it('gives a verdict for run A an interval of A - B, without errors too (issue 21)', async () => {
    // A right everywhere; B wrong on 60 items (every 20th, and 5, 15, 25, ...): A by 15 points.
    const right = run('right', 400, (item) => answer(gold(item)));
    const [score] = (await compareRuns({ runA: right, runB: answersEverything })).scores;
    expect(score).toMatchObject({ n: 400, only_a_correct: 60, only_b_correct: 0 });
    const shown = score!.verdict.match(
      /^significant: Spam \(run A\) is more accurate by 15\.0 points \(95% CI ([+-][\d.]+) to ([+-][\d.]+);/,
    );
    expect(shown, score!.verdict).not.toBeNull();
    expect(Number(shown![1])).toBeGreaterThan(0);
    expect(Number(shown![2])).toBeGreaterThan(Number(shown![1]));
  });

  it('reads correct from the lines: a case-sensitive score keeps gold Yes against yes wrong', async () => {
    const line = (item: number, value: string, correct: boolean) =>
      JSON.stringify({
        item_id: `c${item}`,
        score: 'S',
        value,
        status: 'ok',
        label: 'Yes',
        correct,
      });
    const write = (name: string, value: string, correct: boolean) => {
      const dir = join(folder, name);
      mkdirSync(dir);
      const lines = Array.from({ length: 10 }, (_, item) => line(item, value, correct));
      writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
      return dir;
    };
    const [score] = (
      await compareRuns({
        runA: write('strict-a', 'yes', false),
        runB: write('strict-b', 'Yes', true),
      })
    ).scores;
    expect(score).toMatchObject({ n: 10, accuracy_a: 0, accuracy_b: 1, only_b_correct: 10 });
  });
});
