import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import type { ResultLine } from '../run/result-line.js';
import { testPlugin } from '../testing/contains-score.js';
import { parseScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-calibrated-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text,Card\n1,card,yes\n2,card maybe,no\n');

async function load(calibration: string) {
  const yaml = `name: Calibrated\nscores:\n  - { name: Card, class: test/contains, word: card, unsure_on: maybe${calibration} }\n`;
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  return parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
}

describe('calibration: on a score', () => {
  it('maps the confidence through the file and changes the fingerprint', async () => {
    // Isotonic map: 0.3 → 0.1, 1 → 0.9, linear between.
    writeFileSync(
      join(folder, 'Card.calibration.json'),
      JSON.stringify({
        version: 1,
        score: 'Card',
        map: { method: 'isotonic', x: [0.3, 1], y: [0.1, 0.9] },
      }),
    );
    const raw = await load('');
    const calibrated = await load(', calibration: Card.calibration.json');
    expect(calibrated.scores[0]!.fingerprint).not.toBe(raw.scores[0]!.fingerprint);
    expect(calibrated.scores[0]!.score!.kind).toBe('test/contains');
    const out = join(folder, 'run');
    await evaluate({ scorecard: calibrated, data, outDir: out, cache: false });
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ResultLine);
    expect(lines.map((line) => [line.item_id, line.value, line.confidence])).toEqual([
      ['1', 'yes', 0.9],
      ['2', 'yes', 0.1],
    ]);
  });

  it('names a missing or wrong file at the setting', async () => {
    await expect(load(', calibration: nowhere.json')).rejects.toThrow(
      /scores\[0\]\.calibration: cannot read the calibration .*nowhere\.json .*run plexus calibrate/,
    );
    writeFileSync(
      join(folder, 'other.json'),
      JSON.stringify({ version: 1, score: 'Other', map: { method: 'platt', a: -1, b: 0 } }),
    );
    await expect(load(', calibration: other.json')).rejects.toThrow(
      /calibrates "Other", not "Card"/,
    );
  });
});
