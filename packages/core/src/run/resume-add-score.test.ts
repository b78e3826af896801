import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { interruptedWith, storedLines } from './result-line-fixture.js';

// A run started with --score Card, resumed with --score Lost to add that score: refused (it would
// delete Card's results), and told only "without --score", which resumes Card alone. The message
// now names the --score that adds a score and keeps the run's.
const folder = mkdtempSync(join(tmpdir(), 'plexus-resume-add-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text\na,lost card\nb,hello\nc,card lost\nd,lost\n');
const file = join(folder, 'card.yaml');
writeFileSync(
  file,
  'name: Cards\nscores:\n  - { name: Card, class: test/contains, word: card }\n  - { name: Lost, class: test/contains, word: lost }\n',
);
const card = () =>
  parseScorecard(readFileSync(file, 'utf8'), { file, plugins: [testPlugin], cacheDir: folder });

it('a resume adding a score to a --score run is told the --score that keeps the run’s scores', async () => {
  const out = join(folder, 'run');
  await evaluate({ scorecard: await card(), data, outDir: out, scores: ['Card'], cache: false });
  interruptedWith(out, storedLines(out).slice(0, 2));
  const refused = evaluate({
    scorecard: await card(),
    data,
    resumeDir: out,
    scores: ['Lost'],
    cache: false,
  });
  await expect(refused).rejects.toThrow(
    /holds results of "Card", which this resume would not score .*; to add scores to the run, give --score for its own too \(--score "Card"\)/,
  );
  // Doing so resumes the run with both scores, Card's stored lines kept.
  const summary = await evaluate({
    scorecard: await card(),
    data,
    resumeDir: out,
    scores: ['Card', 'Lost'],
    cache: false,
  });
  expect(summary).toMatchObject({ status: 'completed', results: 8 });
});
