import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { compareRuns } from './compare.js';

// A score with `normalize_labels: { case: false }` has two labels `Yes` and `yes`. compare named
// its counts' labels the default way (ignoring case): the two became one, each wrong answer a
// "(judged wrong)" label of its own, and the macro F1 it printed (0.278) was not the run's (0.708).
const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-case-'));

async function runOf(name: string, word: string): Promise<string> {
  const data = join(folder, 'data.csv');
  writeFileSync(
    data,
    'id,text,Card\n1,free,Yes\n2,hi,yes\n3,free,yes\n4,hi,Yes\n5,free,Yes\n6,hi,yes\n7,hi,yes\n',
  );
  const yaml = `name: Case\nscores:\n  - { name: Card, class: test/contains, word: ${word}, labels: [Yes, yes], normalize_labels: { case: false } }\n`;
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, yaml);
  const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
  const out = join(folder, name);
  await evaluate({ scorecard, data, outDir: out, cache: false });
  return out;
}

describe('compare of a score that compares labels case-sensitively', () => {
  it("gives each run's own accuracy and macro F1 (hand count, as scikit-learn)", async () => {
    // Answers Yes on "free": Yes, yes, Yes, yes, Yes, yes, yes against gold
    // Yes, yes, yes, Yes, Yes, yes, yes. Yes: P 2/3, R 2/3; yes: P 3/4, R 3/4.
    // Macro F1 = (2/3 + 3/4) / 2 = 17/24 (scikit-learn's f1_score(average='macro') gives 0.70833).
    const a = await runOf('a', 'free');
    // Answers Yes on "hi" instead: right exactly where run A is wrong (items 3 and 4 only).
    const b = await runOf('b', 'hi');
    const own = JSON.parse(readFileSync(join(a, 'metrics.json'), 'utf8')).scores.Card;
    expect(own.f1.macro).toBeCloseTo(17 / 24, 12);
    const result = await compareRuns({ runA: a, runB: b });
    const [card] = result.scores;
    expect(result.gold_differences).toEqual([]);
    expect(card).toMatchObject({ n: 7, accuracy_a: 5 / 7, accuracy_b: 2 / 7 });
    expect(card!.f1_macro_a).toBeCloseTo(17 / 24, 12);
    // Run B: Yes on 2, 4, 6, 7. Yes: TP 1 (4), P 1/4, R 1/3, F1 2/7; yes: TP 1 (3), P 1/3, R 1/4, F1 2/7.
    expect(card!.f1_macro_b).toBeCloseTo(2 / 7, 12);
    expect(card).toMatchObject({ only_a_correct: 5, only_b_correct: 2 });
  });
});
