import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { interruptedWith, storedLines } from './result-line-fixture.js';
import { resumedSelection } from './run-selection.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-run-selection-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const yaml = `name: Cards
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: lost }
`;
const data = join(folder, 'data.csv');
writeFileSync(
  data,
  `id,text\n${Array.from({ length: 40 }, (_, index) => `i${index},lost card ${index}`).join('\n')}\n`,
);

/** Keeps the first `kept` lines of a finished run and marks it interrupted, as a kill would. */
const cutShort = (dir: string, kept: number) =>
  interruptedWith(dir, storedLines(dir).slice(0, kept));

describe('a resume', () => {
  it("keeps the run's own --score and --limit when they are not given again", async () => {
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const card = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({
      scorecard: card,
      data,
      outDir: out,
      cache: false,
      limit: 10,
      scores: ['Card'],
    });
    cutShort(out, 4);
    const summary = await evaluate({ scorecard: card, resumeDir: out, cache: false });
    const lines = storedLines(out);
    // By hand: the first 10 items, Card only (it scored all 40 items with both scores before).
    expect(lines).toHaveLength(10);
    expect(new Set(lines.map((line) => line.score))).toEqual(new Set(['Card']));
    expect(summary.items).toBe(10);
    // Given again, a flag wins: --limit 12 scores two more items.
    cutShort(out, 10);
    await evaluate({ scorecard: card, resumeDir: out, cache: false, limit: 12 });
    expect(storedLines(out)).toHaveLength(12);
    // run.json says what the run now is: --score Card --limit 12 (a later resume keeps them).
    const options = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).options;
    expect(options).toMatchObject({ scores: ['Card'], limit: 12, sample: null });
  });

  it('ignores a recorded selection that is not one (a hand edit)', () => {
    expect(
      resumedSelection({}, { scores: [1], limit: -3, sample: { size: 'x', seed: 0 } }),
    ).toEqual({
      scores: undefined,
      limit: undefined,
      sample: undefined,
    });
    expect(resumedSelection({ limit: 5 }, { limit: 9, sample: { size: 20, seed: 3 } })).toEqual({
      scores: undefined,
      limit: 5,
      sample: { size: 20, seed: 3 },
    });
  });
});
