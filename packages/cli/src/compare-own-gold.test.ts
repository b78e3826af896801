import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-compare-own-gold-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// The same eight texts; run B's dataset corrects the gold of items 3 and 4. Rule A says spam on
// "free"; rule B on "free" or "win".
const texts = [
  'free prize',
  'hi mum',
  'free lunch',
  'call me',
  'free cash',
  'see you',
  'win big',
  'free free',
];
const goldA = ['spam', 'ham', 'ham', 'ham', 'spam', 'ham', 'spam', 'ham'];
const goldB = ['spam', 'ham', 'spam', 'spam', 'spam', 'ham', 'spam', 'ham'];
const dataset = (name: string, gold: string[]) =>
  write(
    name,
    `id,text,label\n${texts.map((text, index) => `${index + 1},${text},${gold[index]}`).join('\n')}\n`,
  );
const card = (name: string, phrases: string) =>
  write(
    name,
    `name: Gold\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [${phrases}], labels: [spam, ham], label_column: label }\n`,
  );

// With --allow-different-gold (and on the viewer's compare page, which always allows it) each
// run's accuracy was measured against its own gold but its macro F1 against a mix: rows of run A's
// gold, run B's right answers moved there and a wrong answer equal to A's gold made a label of its
// own ("ham (judged wrong)"): B's F1 was 0.536, neither against its gold (0.733) nor A's (0.750).
describe('plexus compare --allow-different-gold', () => {
  it('measures each run against its own gold: accuracy and macro F1 alike', async () => {
    const runA = join(project, 'a');
    const runB = join(project, 'b');
    const argsA = ['evaluate', card('a.yaml', 'free'), '--data', dataset('a.csv', goldA)];
    expect((await runMain([...argsA, '--out', runA, '--quiet'])).code).toBe(0);
    const argsB = ['evaluate', card('b.yaml', 'free, win'), '--data', dataset('b.csv', goldB)];
    expect((await runMain([...argsB, '--out', runB, '--quiet'])).code).toBe(0);
    expect((await runMain(['compare', runA, runB])).code).toBe(2);
    const compared = await runMain(['compare', runA, runB, '--allow-different-gold', '--json']);
    expect(compared.code).toBe(0);
    const result = JSON.parse(compared.stdout);
    expect(result.gold_differences[0].items).toBe(2);
    const score = result.scores[0];
    // scikit-learn 1.7 on each run's answers and its own gold:
    // accuracy_score / f1_score(average="macro"): A 0.625 / 0.6190476190476191, B 0.75 / 0.7333...
    expect(score.accuracy_a).toBe(0.625);
    expect(score.accuracy_b).toBe(0.75);
    expect(score.f1_macro_a).toBeCloseTo(0.6190476190476191, 12);
    expect(score.f1_macro_b).toBeCloseTo(0.7333333333333334, 12);
    // By hand: only A right on item 4; only B right on items 3 and 7.
    expect([score.only_a_correct, score.only_b_correct]).toEqual([1, 2]);
  });
});
