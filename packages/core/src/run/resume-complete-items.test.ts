import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import type { ResultLine } from './result-line.js';
import { interruptedWith, storedLines } from './result-line-fixture.js';
import { RunFolder } from './run-folder.js';

// A resume kept every stored output of every item in memory (2 GB for a million-item run); an
// item whose every score is stored now keeps its scores' names only. The resumed run's results
// must be those of a run never killed, an item whose upstream answer is stored included.
const folder = mkdtempSync(join(tmpdir(), 'plexus-resume-complete-'));
const data = join(folder, 'data.csv');
// Gold for Card, one of them wrong (e): accuracy 5/6, so the metrics have something to differ in.
writeFileSync(
  data,
  'id,text,Card\na,lost card,yes\nb,hello,no\nc,card lost,yes\nd,lost my card,yes\ne,card,no\nf,lost,no\n',
);
const file = join(folder, 'card.yaml');
writeFileSync(
  file,
  [
    'name: Cards',
    'scores:',
    '  - { name: Card, class: test/contains, word: card }',
    '  - { name: Lost, class: test/contains, word: lost, depends_on: { Card: { operator: "==", value: "yes" } } }',
    '',
  ].join('\n'),
);
const card = () =>
  parseScorecard(readFileSync(file, 'utf8'), { file, plugins: [testPlugin], cacheDir: folder });

/**
 * A line without what differs between two runs of the same results: latency, and the item's text,
 * which a resume writes on the item's first new line.
 */
const comparable = ({ text: _text, ...line }: ResultLine) =>
  JSON.stringify({ ...line, latency_ms: 0 });

it('a resume whose stored items are complete scores the rest as a run never killed', async () => {
  const whole = join(folder, 'whole');
  await evaluate({ scorecard: await card(), data, outDir: whole, cache: false });
  const expected = storedLines(whole).map(comparable).sort();
  expect(expected).toHaveLength(12);

  const killed = join(folder, 'killed');
  await evaluate({ scorecard: await card(), data, outDir: killed, cache: false });
  const lines = storedLines(killed);
  // a, b, c complete; d and e have Card alone (Lost runs from its stored answer); f has nothing.
  const kept = lines.filter(
    (line) =>
      ['a', 'b', 'c'].includes(line.item_id) || (line.item_id !== 'f' && line.score === 'Card'),
  );
  interruptedWith(killed, kept);
  const summary = await evaluate({
    scorecard: await card(),
    data,
    resumeDir: killed,
    cache: false,
  });
  expect(summary).toMatchObject({ status: 'completed', results: 12 });
  expect(storedLines(killed).map(comparable).sort()).toEqual(expected);
  // The metrics too, but for latency (timed anew).
  const metrics = (dir: string) =>
    JSON.stringify(
      JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).scores,
      (key, value) => (key.startsWith('latency_ms') ? undefined : value),
    );
  expect(metrics(killed)).toContain('"accuracy":0.8333');
  expect(metrics(killed)).toEqual(metrics(whole));
});

it('the stored outputs of a partly scored item are kept, a complete item names its scores', async () => {
  const dir = join(folder, 'direct');
  await evaluate({ scorecard: await card(), data, outDir: dir, cache: false });
  const lines = storedLines(dir);
  interruptedWith(
    dir,
    lines.filter((line) => line.item_id === 'a' || (line.item_id === 'd' && line.score === 'Card')),
  );
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const resumed = await RunFolder.resume(dir, info.fingerprints, () => {});
  await resumed.folder.close();
  const { outputs } = resumed.stored;
  expect(Object.keys(outputs.get('a') ?? {}).sort()).toEqual(['Card', 'Lost']);
  const stored = lines.find((line) => line.item_id === 'd' && line.score === 'Card');
  expect(outputs.get('d')).toEqual({
    Card: {
      value: stored?.value,
      status: stored?.status,
      explanation: stored?.explanation,
      ...(stored?.confidence === null ? {} : { confidence: stored?.confidence }),
    },
  });
});
