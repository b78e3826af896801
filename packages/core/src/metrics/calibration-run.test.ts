import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';

describe('metrics.json calibration', () => {
  it('is computed from the labelled answers with a confidence (hand count)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-calibration-run-'));
    const data = join(folder, 'data.csv');
    // contains-score: "yes" when the text has "card"; confidence 0.3 when it has "maybe", else 1.
    writeFileSync(
      data,
      'id,text,Card\n1,card,yes\n2,card maybe,no\n3,hello,no\n4,hello maybe,yes\n5,no gold here,\n',
    );
    const yaml =
      'name: Calibration\nscores:\n  - { name: Card, class: test/contains, word: card, unsure_on: maybe }\n';
    const file = join(folder, 'card.yaml');
    writeFileSync(file, yaml);
    const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const out = join(folder, 'run');
    await evaluate({ scorecard, data, outDir: out, cache: false });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const calibration = metrics.scores.Card.calibration;
    // Items 1 and 3: confidence 1, right. Items 2 and 4: confidence 0.3, wrong. Item 5 has no gold.
    expect(calibration.n).toBe(4);
    expect(calibration.bins).toBe(10);
    expect(calibration.reliability[3]).toEqual({
      lo: 0.3,
      hi: 0.4,
      n: 2,
      accuracy: 0,
      confidence: 0.3,
    });
    expect(calibration.reliability[9]).toEqual({
      lo: 0.9,
      hi: 1,
      n: 2,
      accuracy: 1,
      confidence: 1,
    });
    expect(calibration.ece).toBeCloseTo(0.5 * 0.3, 12);
    expect(calibration.brier_top_label).toBeCloseTo((2 * 0.09) / 4, 12);
  });
});
