import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';
import { verdictOf } from './compare-verdict.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-trust-'));

interface Case {
  n: number;
  only_a: number;
  only_b: number;
  mcnemar_p: number;
  binomtest_p: number;
  accuracy_delta: number;
  bootstrap_ci95: [number, number];
}

// Computed by scripts/compare-fixtures.py with SciPy (McNemar's exact p as statsmodels defines it,
// scipy.stats.binomtest, and scipy.stats.bootstrap's percentile interval of the paired difference).
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/scipy-compare.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

type Answer = 'right' | 'wrong' | 'error';

function resultsText(items: number, answer: (item: number) => Answer): string {
  const lines = Array.from({ length: items }, (_, item) => {
    const given = answer(item);
    return JSON.stringify({
      item_id: `i${item}`,
      score: 'Spam',
      value: given === 'error' ? null : given === 'right' ? 'spam' : 'ham',
      status: given === 'error' ? 'error' : 'ok',
      label: 'spam',
      correct: given === 'error' ? null : given === 'right',
      error: given === 'error' ? { message: 'HTTP 500' } : null,
    });
  });
  return `${lines.join('\n')}\n`;
}

function run(name: string, items: number, answer: (item: number) => Answer): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'results.jsonl'), resultsText(items, answer));
  return dir;
}

/** Runs A and B of a fixture case: B alone right on the first `only_b` items, A alone on the next `only_a`. */
function caseRuns(name: string, fixture: Case): [string, string] {
  const onlyB = (item: number) => item < fixture.only_b;
  const onlyA = (item: number) => item >= fixture.only_b && item < fixture.only_b + fixture.only_a;
  return [
    run(`${name}-a`, fixture.n, (item) => (onlyB(item) ? 'wrong' : 'right')),
    run(`${name}-b`, fixture.n, (item) => (onlyA(item) ? 'wrong' : 'right')),
  ];
}

describe('compare prints no number it does not have', () => {
  it('gives null metrics and the reason when no item is answered by both runs', async () => {
    // A fails the even items, B the odd ones: 10 items due in both, none answered by both.
    const runA = run('split-a', 10, (item) => (item % 2 === 0 ? 'error' : 'right'));
    const runB = run('split-b', 10, (item) => (item % 2 === 1 ? 'error' : 'wrong'));
    const result = await compareRuns({ runA, runB, errors: 'exclude' });
    const score = result.scores[0]!;
    expect(score).toMatchObject({
      n: 0,
      errors_a: 5,
      errors_b: 5,
      accuracy_a: null,
      accuracy_b: null,
      accuracy_delta: null,
      accuracy_delta_ci95: null,
      f1_macro_a: null,
      f1_macro_b: null,
      f1_macro_delta: null,
      f1_macro_delta_ci95: null,
      mcnemar_p: null,
      significant: false,
      tests_agree: null,
    });
    expect(score.no_metrics_reason).toMatch(/^no item answered by both runs \(the 10 items/);
    expect(score.verdict).toContain('nothing to compare: no item answered by both runs');
    // No metric of the JSON is a 0 standing for "unknown".
    const json = JSON.parse(JSON.stringify(result)) as { scores: Record<string, unknown>[] };
    for (const key of ['accuracy_a', 'accuracy_b', 'f1_macro_a', 'mcnemar_p'])
      expect(json.scores[0]![key], key).toBeNull();
    // The same runs with errors counted wrong: 10 items, each run right on 5 (hand count).
    const wrong = (await compareRuns({ runA, runB })).scores[0]!;
    expect(wrong).toMatchObject({ n: 10, accuracy_a: 0.5, accuracy_b: 0, no_metrics_reason: null });
  });

  it('says when McNemar and the bootstrap interval disagree, matching SciPy', async () => {
    const fixture = fixtures.cases[0]!;
    const [runA, runB] = caseRuns('borderline', fixture);
    const score = (await compareRuns({ runA, runB })).scores[0]!;
    expect(score).toMatchObject({
      n: fixture.n,
      only_a_correct: fixture.only_a,
      only_b_correct: fixture.only_b,
    });
    expect(score.mcnemar_p).toBeCloseTo(fixture.mcnemar_p, 12);
    expect(score.mcnemar_p).toBeCloseTo(fixture.binomtest_p, 12);
    expect(score.mcnemar_p).toBeGreaterThan(0.05);
    expect(score.accuracy_delta).toBeCloseTo(fixture.accuracy_delta, 12);
    // Both bootstraps are Monte Carlo: equal to one item (1 / n) at either end, both above 0.
    const [low, high] = score.accuracy_delta_ci95!;
    expect(Math.abs(low - fixture.bootstrap_ci95[0])).toBeLessThanOrEqual(1 / fixture.n + 1e-12);
    expect(Math.abs(high - fixture.bootstrap_ci95[1])).toBeLessThanOrEqual(1 / fixture.n + 1e-12);
    expect(fixture.bootstrap_ci95[0]).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(0);
    expect(score).toMatchObject({
      significant: false,
      verdict_test: 'mcnemar',
      tests_agree: false,
    });
    expect(score.verdict).toMatch(
      /^not significant: accuracy differs by \+5\.5 points, B - A \(95% CI \+[\d.]+ to \+[\d.]+; McNemar p = 0\.052 >= 0\.05\); the verdict follows McNemar's test, but the bootstrap 95% interval excludes 0: the tests disagree, treat as borderline$/,
    );
  });

  it('says nothing of disagreement when both tests agree, matching SciPy', async () => {
    for (const [index, fixture] of fixtures.cases.slice(1).entries()) {
      const [runA, runB] = caseRuns(`agree-${index}`, fixture);
      const score = (await compareRuns({ runA, runB })).scores[0]!;
      expect(score.mcnemar_p! / fixture.mcnemar_p).toBeCloseTo(1, 10);
      expect(score.accuracy_delta).toBeCloseTo(fixture.accuracy_delta, 12);
      const [low, high] = score.accuracy_delta_ci95!;
      expect(Math.abs(low - fixture.bootstrap_ci95[0])).toBeLessThanOrEqual(2 / fixture.n);
      expect(Math.abs(high - fixture.bootstrap_ci95[1])).toBeLessThanOrEqual(2 / fixture.n);
      expect(score).toMatchObject({ significant: true, tests_agree: true });
      expect(score.verdict).not.toContain('disagree');
    }
  });

  it('says so when McNemar is significant but the interval includes 0', () => {
    const verdict = verdictOf({
      scoreA: 'A',
      scoreB: 'B',
      delta: 0.02,
      interval: [-0.001, 0.04],
      p: 0.049,
      alpha: 0.05,
      significant: true,
    });
    expect(verdict).toBe(
      "significant: B (run B) is more accurate by 2.0 points (95% CI -0.1 to +4.0; McNemar p = 0.049 < 0.05); the verdict follows McNemar's test, but the bootstrap 95% interval includes 0: the tests disagree, treat as borderline",
    );
  });
});

describe('compare reads each run once', () => {
  it("reads run B's results once: a named pipe gives its lines a single time", async () => {
    const runA = run('pipe-a', 40, (item) => (item < 10 ? 'wrong' : 'right'));
    const runB = join(folder, 'pipe-b');
    mkdirSync(runB);
    const pipe = join(runB, 'results.jsonl');
    execFileSync('mkfifo', [pipe]);
    // A writer that opens the pipe once: a second read would wait for a writer that never comes.
    const writer = spawn('sh', ['-c', `cat > "${pipe}"`], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdin.end(resultsText(40, () => 'right'));
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('compare read the pipe twice (it waited)')), 5000),
    );
    try {
      const result = await Promise.race([compareRuns({ runA, runB }), timeout]);
      // Hand count: A wrong on 10 of 40, B right on all 40.
      expect(result.scores[0]).toMatchObject({ n: 40, accuracy_a: 0.75, accuracy_b: 1 });
      expect(result.scores[0]).toMatchObject({ only_a_correct: 0, only_b_correct: 10 });
    } finally {
      writer.kill();
      // A read still waiting to open the pipe is let go: a writer opens it and closes.
      try {
        closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {}
    }
  });
});
