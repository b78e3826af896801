import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { interruptedWith, storedLines } from './result-line-fixture.js';

// `evaluate other.yaml --resume runs/x`, or `--resume runs/x --score A`: the resume kept only the
// lines of the scores it ran and deleted the rest of results.jsonl, without a word (a run of
// "Spam Words" resumed with a forest card held only the forest's lines after).
const folder = mkdtempSync(join(tmpdir(), 'plexus-resume-card-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text\na,lost card\nb,hello\nc,card lost\nd,lost\n');
const twoScores = `name: Cards
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: lost }
`;

function card(yaml: string, name = 'card.yaml') {
  const file = join(folder, name);
  writeFileSync(file, yaml);
  return parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
}

/** A completed run of both scores, then cut to its first `kept` lines and marked interrupted. */
async function cutRun(out: string, kept: number) {
  await evaluate({ scorecard: await card(twoScores), data, outDir: out, cache: false });
  interruptedWith(out, storedLines(out).slice(0, kept));
  return readFileSync(join(out, 'results.jsonl'), 'utf8');
}

it('refuses a resume with another scorecard, or with --score leaving scores out; results kept', async () => {
  const out = join(folder, 'run');
  const before = await cutRun(out, 5);
  const other = await card(
    'name: Other\nscores:\n  - { name: Word, class: test/contains, word: hello }\n',
    'other.yaml',
  );
  await expect(evaluate({ scorecard: other, data, resumeDir: out, cache: false })).rejects.toThrow(
    /holds results of "Card", "Lost", which this resume would not score .* resume with the scorecard the run used \(.*card\.yaml, "Cards"\)/,
  );
  await expect(
    evaluate({
      scorecard: await card(twoScores),
      data,
      resumeDir: out,
      scores: ['Card'],
      cache: false,
    }),
  ).rejects.toThrow(/holds results of "Lost", which this resume would not score/);
  expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe(before);
  // The same scorecard resumes it: every item of both scores, the stored lines kept.
  const summary = await evaluate({
    scorecard: await card(twoScores),
    data,
    resumeDir: out,
    cache: false,
  });
  expect(summary).toMatchObject({ status: 'completed', results: 8 });
});

it('an edited scorecard resumes the run, which then records and keeps the edited scorecard', async () => {
  const out = join(folder, 'edited');
  await cutRun(out, 3);
  const edited = twoScores.replace('word: lost }', 'word: los }');
  const scorecard = await card(edited, 'card.yaml');
  const summary = await evaluate({ scorecard, data, resumeDir: out, cache: false });
  expect(summary).toMatchObject({ status: 'completed', results: 8 });
  expect(readFileSync(join(out, 'scorecard.yaml'), 'utf8')).toBe(edited);
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  expect(info.scorecard.hash).toBe(scorecard.hash);
});
