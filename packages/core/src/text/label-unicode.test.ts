import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { normalizeLabel } from './labels.js';

// "café" with a combining acute accent (NFD, as macOS file names and some exports write it) is the
// same text as the precomposed "café" (NFC): Unicode says they are canonically equivalent.
const decomposed = 'cafe\u0301';
const zeroWidthSpace = '\u200b';

describe('labels that differ only in Unicode form or invisible characters', () => {
  it('normalise alike', () => {
    expect(normalizeLabel(decomposed)).toBe('café');
    expect(normalizeLabel(`${zeroWidthSpace}Café${zeroWidthSpace}`)).toBe('café');
    expect(normalizeLabel(`\u00a0thé.\u2060 `)).toBe('thé');
    expect(normalizeLabel(` ${zeroWidthSpace}N/A${zeroWidthSpace} `)).toBe('na');
    // Inside a label a zero-width character is kept: only the ends are trimmed.
    expect(normalizeLabel(`ca${zeroWidthSpace}fé`)).toBe(`ca${zeroWidthSpace}fé`);
    expect(normalizeLabel(decomposed, { case: false })).toBe('café');
  });

  it('are judged right in a run, and its metrics count them so (hand count)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-label-unicode-'));
    const data = join(folder, 'data.csv');
    // contains-score: the first label ("café") when the text has "coffee", else "thé".
    writeFileSync(
      data,
      [
        'id,text,Drink',
        `1,coffee,${decomposed}`,
        `2,coffee,café${zeroWidthSpace}`,
        '3,tea,\u00a0thé\u00a0',
        '4,coffee,CAFÉ',
        '5,tea,café',
        '',
      ].join('\n'),
    );
    const yaml =
      'name: Drinks\nscores:\n  - { name: Drink, class: test/contains, word: coffee, labels: [café, thé] }\n';
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({ scorecard, data, outDir: out, cache: false });
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { item_id: string; correct: boolean });
    // Items 1-4 are right (their gold is café or thé in another form); item 5 is wrong.
    expect(Object.fromEntries(lines.map((line) => [line.item_id, line.correct]))).toEqual({
      '1': true,
      '2': true,
      '3': true,
      '4': true,
      '5': false,
    });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).scores.Drink;
    expect(metrics.n).toBe(5);
    expect(metrics.accuracy).toBe(4 / 5);
    // One label per drink: no second "café" column for the decomposed form.
    expect(metrics.confusion_matrix).toEqual({
      labels: ['café', 'thé'],
      matrix: [
        [3, 1],
        [0, 1],
      ],
    });
  });
});
