import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { evaluate } from '../run/evaluate.js';
import { testPlugin } from '../testing/contains-score.js';
import { parseScorecard } from './scorecard-loader.js';

// A score's labels are compared normalised (case, spaces, trailing .!?, n/a and none as na). Two
// labels that normalise alike are one label to the metrics: test/contains answers its first label
// on "card" and its second otherwise, so with labels [yes, Yes.] every answer was "correct".
const folder = mkdtempSync(join(tmpdir(), 'plexus-same-labels-'));
const file = join(folder, 'card.yaml');

async function problemsOf(labels: string, extra = ''): Promise<string[]> {
  const source = `name: Same\nscores:\n  - name: Card\n    class: test/contains\n    word: card\n    labels: ${labels}\n${extra}`;
  try {
    await parseScorecard(source, {
      file,
      displayName: 'card.yaml',
      plugins: [testPlugin],
      cacheDir: folder,
    });
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map((problem) => problem.message);
    throw error;
  }
  return [];
}

describe('labels that compare equal', () => {
  it('are refused before anything is scored, naming both', async () => {
    expect(await problemsOf('[yes, Yes.]')).toEqual([
      expect.stringMatching(
        /^"Yes\." and "yes" are the same label once compared .*normalize_labels/,
      ),
    ]);
    expect(await problemsOf('[none, n/a, other]')).toEqual([
      expect.stringMatching(/^"n\/a" and "none" are the same label once compared/),
    ]);
    expect(await problemsOf('[yes, no, yes]')).toEqual(['"yes" is listed twice']);
  });

  it('are two labels when normalize_labels keeps them apart', async () => {
    expect(await problemsOf('[Yes, yes]', '    normalize_labels: { case: false }\n')).toEqual([]);
    expect(await problemsOf('[none, n/a]', '    normalize_labels: { na: false }\n')).toEqual([]);
  });

  it('kept apart, score as two labels (hand count: 2 of 4 right)', async () => {
    const data = join(folder, 'data.csv');
    writeFileSync(data, 'id,text,Card\n1,card,Yes\n2,hello,yes\n3,card,yes\n4,hello,Yes\n');
    const yaml =
      'name: Apart\nscores:\n  - { name: Card, class: test/contains, word: card, labels: [Yes, yes], normalize_labels: { case: false } }\n';
    writeFileSync(file, yaml);
    const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
    const summary = await evaluate({ scorecard, data, outDir: join(folder, 'run'), cache: false });
    // Answers: Yes, yes, Yes, yes; gold: Yes, yes, yes, Yes: items 1 and 2 right.
    expect(summary.scores.Card!.accuracy).toBe(0.5);
  });
});
