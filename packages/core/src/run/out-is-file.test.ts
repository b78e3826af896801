import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';

// `--out notes.txt`, a file: the run failed with "cannot create the run folder notes.txt: EEXIST:
// file already exists", exit 1 as if the run had failed, not bad input with the fix.
const folder = mkdtempSync(join(tmpdir(), 'plexus-out-file-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text\na,lost card\nb,hello\n');
const card = () =>
  parseScorecard('name: Cards\nscores:\n  - { name: Card, class: test/contains, word: card }\n', {
    file: join(folder, 'card.yaml'),
    plugins: [testPlugin],
    cacheDir: folder,
  });

it('an --out that is a file is bad input saying so, and the file is left as it was', async () => {
  const out = join(folder, 'notes.txt');
  writeFileSync(out, 'mine');
  const refused = evaluate({ scorecard: await card(), data, outDir: out, cache: false });
  await expect(refused).rejects.toThrow(InvalidConfigError);
  await expect(refused).rejects.toThrow(`${out} is a file, not a folder: choose another --out`);
  expect(readFileSync(out, 'utf8')).toBe('mine');
});

it('an --out that is a link to a folder is a folder: the run goes there', async () => {
  const target = join(folder, 'target');
  mkdirSync(target);
  const link = join(folder, 'latest');
  symlinkSync(target, link);
  const summary = await evaluate({ scorecard: await card(), data, outDir: link, cache: false });
  expect(summary.results).toBe(2);
  expect(readFileSync(join(target, 'run.json'), 'utf8')).toContain('"completed"');
});
