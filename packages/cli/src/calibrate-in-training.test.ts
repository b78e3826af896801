// `plexus calibrate` on a forest's training rows fitted its map on answers the model remembers
// (right, and sure of it), and wrote `fitted.data: null` when the data came from the scorecard.
// Those answers are left out and counted, the data path is recorded, and a file holding nothing
// but training rows is refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'plexus-calibrate-in-training-'));

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(dir, 'cache'), MLFLOW_TRACKING_URI: '' },
  });
}

/** The SMS fixture's rows with a text not seen before (a repeated text is in both splits). */
function distinctRows(): string[] {
  const fixture = fileURLToPath(
    new URL('../../classifier-forest/fixtures/sms-1200.csv', import.meta.url),
  );
  const [header, ...lines] = readFileSync(fixture, 'utf8').trimEnd().split('\n');
  const seen = new Set<string>();
  return [
    header!,
    ...lines.filter((line) => {
      const text = line.slice(line.indexOf(',') + 1, line.lastIndexOf(','));
      const fresh = !seen.has(text);
      seen.add(text);
      return fresh;
    }),
  ];
}

it('leaves out the answers on the model training rows, records the data, refuses only those', () => {
  const [header, ...rows] = distinctRows();
  writeFileSync(join(dir, 'data.csv'), `${[header, ...rows.slice(0, 900)].join('\n')}\n`);
  writeFileSync(
    join(dir, 'spam.yaml'),
    'name: Spam\ndata: { path: data.csv }\nscores:\n  - name: spam\n    class: forest/random-forest\n    label_column: label\n    labels: [spam, ham]\n    model: models/spam.json\n    trees: 20\n',
  );
  const trained = run(['train', 'spam.yaml', '--seed', '3', '--json']);
  expect(trained.status, trained.stderr).toBe(0);
  // plexus train's own count: 720 of the 900 rows trained the model, 180 were held out.
  expect(JSON.parse(trained.stdout)[0]).toMatchObject({ trainItems: 720, testItems: 180 });

  const calibrated = run(['calibrate', 'spam.yaml', '--score', 'spam']);
  expect(calibrated.status, calibrated.stderr).toBe(0);
  expect(calibrated.stdout).toContain(
    'left out: 720 answers on items its model was trained on (remembered, not predicted',
  );
  // The other 180: 70% fitted (126), 30% held out (54).
  expect(calibrated.stdout).toContain(
    'spam: isotonic fitted on 126 answers, measured on 54 held out',
  );
  const file = JSON.parse(readFileSync(join(dir, 'spam.calibration.json'), 'utf8'));
  expect(file.fitted).toMatchObject({ data: 'data.csv', left_out_in_training: 720 });

  // Only training rows (as an evaluate of the file marks them): nothing to fit on that says
  // anything of new items.
  expect(run(['evaluate', 'spam.yaml', '--out', 'all', '--quiet']).status).toBe(0);
  const trainedIds = new Set(
    readFileSync(join(dir, 'all', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.trace?.in_training === true)
      .map((line) => line.item_id),
  );
  expect(trainedIds.size).toBe(720);
  const seen = rows.slice(0, 900).filter((row) => trainedIds.has(row.slice(0, row.indexOf(','))));
  writeFileSync(join(dir, 'seen.csv'), `${[header, ...seen.slice(0, 30)].join('\n')}\n`);
  const seenOnly = run(['calibrate', 'spam.yaml', '--score', 'spam', '--data', 'seen.csv']);
  expect(seenOnly.status).toBe(2);
  expect(seenOnly.stderr).toContain('is on an item its model was trained on');
});
