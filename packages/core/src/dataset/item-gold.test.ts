import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import type { ResultLine } from '../run/result-line.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-item-gold-'));
// The dataset's own gold says "no" everywhere; the reviews say otherwise.
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text,Card\na,lost card,no\nb,hello,no\nc,card again,no\nd,bye,no\n');

async function scorecard(extra = '') {
  const yaml = `name: Gold\nscores:\n  - { name: Card, class: test/contains, word: card${extra} }\n`;
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  return parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
}

function lines(dir: string): ResultLine[] {
  return readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
}

describe('evaluate with a gold source', () => {
  it("takes each item's gold from the source; an item it has no gold for has none", async () => {
    const reviews: Record<string, string> = { a: 'yes', b: 'no', c: 'no' };
    const out = join(folder, 'run');
    const summary = await evaluate({
      scorecard: await scorecard(),
      data,
      outDir: out,
      cache: false,
      gold: { name: 'reviews', scores: ['Card'], labelOf: (_score, id) => reviews[id] },
    });
    expect(lines(out).map((line) => [line.item_id, line.value, line.label, line.correct])).toEqual([
      ['a', 'yes', 'yes', true],
      ['b', 'no', 'no', true],
      ['c', 'yes', 'no', false],
      ['d', 'no', null, null],
    ]);
    // 2 of the 3 items with gold are right (the dataset's own "no" would give 2 of 4).
    expect(summary.scores.Card).toMatchObject({ n: 3, accuracy: 2 / 3 });
    // run.json says where the gold came from.
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(info.options.gold).toBe('reviews');
  });

  it('a score with gold: feedback needs no gold column (no "unlabeled" warning)', async () => {
    const unlabeled = join(folder, 'unlabeled.csv');
    writeFileSync(unlabeled, 'id,text\na,lost card\n');
    const warningsOf = async (extra: string) => {
      const warnings: string[] = [];
      const yaml = `name: Gold\nscores:\n  - { name: Card, class: test/contains, word: card${extra} }\n`;
      const loaded = await parseScorecard(yaml, {
        file: join(folder, 'card.yaml'),
        plugins: [testPlugin],
        cacheDir: folder,
        checkData: unlabeled,
        onWarning: (warning) => warnings.push(warning.message),
      });
      return { loaded, warnings };
    };
    const fromDataset = await warningsOf('');
    expect(fromDataset.warnings.join('\n')).toMatch(/unlabeled: .* has no gold column for "Card"/);
    const fromFeedback = await warningsOf(', gold: feedback');
    expect(fromFeedback.loaded.scores[0]!.gold).toBe('feedback');
    expect(fromFeedback.warnings).toEqual([]);
    await expect(scorecard(', gold: reviews')).rejects.toThrow(/gold/);
  });
});
