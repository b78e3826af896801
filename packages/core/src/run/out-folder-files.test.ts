import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';

// `--out .` in a project folder, or a folder of one's own with a report.html in it: the run
// wrote its files over the user's (report.html, scorecard.yaml, results.jsonl), without a word.
const folder = mkdtempSync(join(tmpdir(), 'plexus-out-files-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text\na,lost card\nb,hello\n');
const yaml = 'name: Cards\nscores:\n  - { name: Card, class: test/contains, word: card }\n';
const card = () =>
  parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [testPlugin],
    cacheDir: folder,
  });

it("refuses an --out folder holding a file a run writes, and leaves the folder's files as they were", async () => {
  for (const name of ['report.html', 'scorecard.yaml', 'results.jsonl']) {
    const out = join(folder, `own-${name}`);
    mkdirSync(out);
    writeFileSync(join(out, name), 'my own file');
    await expect(
      evaluate({ scorecard: await card(), data, outDir: out, cache: false }),
    ).rejects.toThrow(
      `${out} already holds ${name}, which a run would overwrite (it is not a run folder: no run.json); choose another --out or move them`,
    );
    expect(readFileSync(join(out, name), 'utf8')).toBe('my own file');
    // Nothing left behind: no lock, no run files.
    expect(readdirSync(out)).toEqual([name]);
  }
});

it('writes a run into a folder holding only other files, keeping them', async () => {
  const out = join(folder, 'notes');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const summary = await evaluate({ scorecard: await card(), data, outDir: out, cache: false });
  expect(summary.results).toBe(2);
  expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  expect(existsSync(join(out, 'run.json'))).toBe(true);
});
