import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test-packages.js';
import { comparePageFor } from './compare-route.js';
import { type TestRow, writeTestRun } from './test-runs.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-trust-'));
const root = join(folder, 'runs');

const plexus = runMain;

const gold = (index: number) => (index % 2 ? 'odd' : 'even');
const wrong = (index: number) => (index % 2 ? 'even' : 'odd');

/** `count` rows from `first`, the guess given by `answer` (a label, or FAIL for an error). */
function rows(count: number, answer: (index: number) => string, first = 0): TestRow[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    return { id: `n${index}`, text: `number ${index}`, gold: gold(index), guess: answer(index) };
  });
}

const labels = ['even', 'odd'];

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  // A fails the even items, B the odd ones: no item answered by both.
  await writeTestRun(
    folder,
    'fails-even',
    rows(10, (i) => (i % 2 ? gold(i) : 'FAIL')),
    { labels },
  );
  await writeTestRun(
    folder,
    'fails-odd',
    rows(10, (i) => (i % 2 ? 'FAIL' : wrong(i))),
    { labels },
  );
  // 200 items: A wrong on the first 19 (B right), B wrong on the next 8 (A right). McNemar's exact
  // p = 0.0522 (SciPy binomtest, see core's scipy-compare.json), the bootstrap interval above 0.
  await writeTestRun(
    folder,
    'borderline-a',
    rows(200, (i) => (i < 19 ? wrong(i) : gold(i))),
    {
      labels,
    },
  );
  const onlyA = (i: number) => i >= 19 && i < 27;
  await writeTestRun(
    folder,
    'borderline-b',
    rows(200, (i) => (onlyA(i) ? wrong(i) : gold(i))),
    {
      labels,
    },
  );
  // Runs of different items: nothing in common to compare.
  await writeTestRun(folder, 'first-ten', rows(10, gold), { labels });
  await writeTestRun(folder, 'next-ten', rows(10, gold, 10), { labels });
});

describe('plexus compare prints only the numbers it has', () => {
  it('prints no accuracy of 0 when no item is answered by both runs, and says why', async () => {
    const runs = [join(root, 'fails-even'), join(root, 'fails-odd')];
    const text = await plexus(['compare', ...runs, '--errors', 'exclude']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Intent: 0 items scored by both');
    expect(text.stdout).toContain('errors    A 5  B 5');
    expect(text.stdout).toContain(
      'accuracy, F1 and McNemar: none (no item answered by both runs (the 10 items due in both',
    );
    expect(text.stdout).not.toMatch(/accuracy {2}A|0\.000/);
    const json = JSON.parse(
      (await plexus(['compare', ...runs, '--errors', 'exclude', '--json'])).stdout,
    );
    expect(json.scores[0]).toMatchObject({
      n: 0,
      accuracy_a: null,
      accuracy_b: null,
      accuracy_delta_ci95: null,
      f1_macro_a: null,
      mcnemar_p: null,
      significant: false,
    });
    expect(json.scores[0].no_metrics_reason).toMatch(/^no item answered by both runs/);
  });

  it('says when the verdict (McNemar) and the bootstrap interval disagree', async () => {
    const runs = [join(root, 'borderline-a'), join(root, 'borderline-b')];
    const text = await plexus(['compare', ...runs]);
    expect(text.stdout).toContain('right only in A: 8, only in B: 19');
    expect(text.stdout).toMatch(
      /not significant: accuracy differs by \+5\.5 points, B - A \(95% CI \+[\d.]+ to \+[\d.]+; McNemar p = 0\.052 >= 0\.05\); the verdict follows McNemar's test, but the bootstrap 95% interval excludes 0: the tests disagree, treat as borderline/,
    );
    const json = JSON.parse((await plexus(['compare', ...runs, '--json'])).stdout);
    expect(json.scores[0]).toMatchObject({ verdict_test: 'mcnemar', tests_agree: false });
    expect(json.scores[0].accuracy_delta_ci95[0]).toBeGreaterThan(0);
    expect((await plexus(['compare', '--help'])).stdout).toContain('the tests disagree');
  });
});

describe('the compare page prints only the numbers it has', () => {
  it('shows — and the reason when the runs have no item in common', async () => {
    const html = await comparePageFor(root, new URLSearchParams({ a: 'first-ten', b: 'next-ten' }));
    const row = html!.match(/<table id="comparison">[\s\S]*?<\/table>/)![0];
    expect(row).toContain('<td class="number">0</td>');
    expect(row).not.toMatch(/0\.000|\[\+0\.000/);
    expect(row).toContain('<td class="number mcnemar">—</td>');
    expect(row).toContain(
      'nothing to compare: no item with a gold label was due an answer in both runs',
    );
  });

  it('marks a verdict whose tests disagree as borderline', async () => {
    const query = new URLSearchParams({ a: 'borderline-a', b: 'borderline-b' });
    const html = await comparePageFor(root, query);
    expect(html).toMatch(
      /class="note verdict borderline">not significant: [^<]*the tests disagree/,
    );
  });
});
