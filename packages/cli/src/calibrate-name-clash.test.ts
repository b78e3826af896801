import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-clash-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const rows = Array.from({ length: 40 }, (_, index) =>
  index % 3 === 0
    ? `i${index},free prize ${index},spam`
    : `i${index},hello ${index},${index % 5 === 0 ? 'spam' : 'ham'}`,
);
writeFileSync(join(project, 'data.csv'), `id,text,label\n${rows.join('\n')}\n`);
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  `name: Clash\ndata: { path: data.csv }\nscores:\n  - { name: Spam Words, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n  - { name: "Spam/Words", class: heuristic/keywords, phrases: [prize, hello], labels: [spam, ham], label_column: label }\n`,
);

// Two score names can make one file name (`Spam Words`, `Spam/Words` → Spam-Words): calibrating
// the second wrote over the first's calibration, and the scorecard no longer loaded
// ("calibrates "Spam/Words", not "Spam Words"").
describe('plexus calibrate of two scores whose names make one file name', () => {
  it('keeps each fit in its own file, and the scorecard loads', async () => {
    const cacheDir = join(project, 'cache');
    for (const score of ['Spam Words', 'Spam/Words']) {
      const result = await runMain([
        'calibrate',
        card,
        '--score',
        score,
        '--cache-dir',
        cacheDir,
        '--seed',
        '1',
      ]);
      expect(result.code, result.stderr).toBe(0);
      // Seed 1: both maps lower the held-out ECE, so both are used (a worse one is not).
      expect(result.stdout).toContain("the score's calibration: points at it");
    }
    const text = readFileSync(card, 'utf8');
    const files = [...text.matchAll(/calibration: (\S+) \}/g)].map((match) => match[1]!);
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('Spam-Words.calibration.json');
    expect(files[1]).toMatch(/^Spam-Words-[0-9a-f]{8}\.calibration\.json$/);
    const scores = files.map((file) => {
      expect(existsSync(join(project, file))).toBe(true);
      return JSON.parse(readFileSync(join(project, file), 'utf8')).score;
    });
    expect(scores).toEqual(['Spam Words', 'Spam/Words']);
    const checked = await runMain(['validate', card]);
    expect(checked.code, checked.stderr).toBe(0);
    // Calibrating a score again writes its own file again (no third name).
    await runMain([
      'calibrate',
      card,
      '--score',
      'Spam/Words',
      '--cache-dir',
      cacheDir,
      '--seed',
      '1',
    ]);
    expect(readFileSync(card, 'utf8')).toBe(text);
  });
});
