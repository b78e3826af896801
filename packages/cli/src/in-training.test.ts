import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// A forest evaluated on the file it was trained on printed its training accuracy as if it were
// a test, without a word. The model now remembers its training texts (64-bit hashes), each answer
// on one says so, and the metrics give the accuracy over the other items beside.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'plexus-in-training-'));

/** The SMS fixture's rows with a text not seen before (a repeated text is in both splits). */
function distinctRows(): string[] {
  const fixture = fileURLToPath(
    new URL('../../classifier-forest/fixtures/sms-1200.csv', import.meta.url),
  );
  const [header, ...lines] = readFileSync(fixture, 'utf8').trimEnd().split('\n');
  const seen = new Set<string>();
  const kept = lines.filter((line) => {
    const text = line.slice(line.indexOf(',') + 1, line.lastIndexOf(','));
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
  return [header!, ...kept];
}

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(dir, 'cache') },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

it('evaluating a forest on its training file counts those answers and gives the accuracy outside them', () => {
  const [header, ...rows] = distinctRows();
  // The first 900 distinct rows to train on (80% trained, 20% held out); 200 others never seen.
  writeFileSync(join(dir, 'data.csv'), `${[header, ...rows.slice(0, 900)].join('\n')}\n`);
  writeFileSync(join(dir, 'unseen.csv'), `${[header, ...rows.slice(900, 1100)].join('\n')}\n`);
  writeFileSync(
    join(dir, 'spam.yaml'),
    'name: Spam\nscores:\n  - name: spam\n    class: forest/random-forest\n    label_column: label\n    labels: [spam, ham]\n    model: models/spam.json\n    trees: 20\n',
  );
  const [trained] = JSON.parse(
    run(['train', 'spam.yaml', '--data', 'data.csv', '--seed', '3', '--json']),
  );
  expect([trained.trainItems, trained.testItems]).toEqual([720, 180]);
  expect(trained.metrics.n_in_training).toBeUndefined();

  const stdout = run(['evaluate', 'spam.yaml', '--data', 'data.csv', '--out', 'same']);
  const metrics = JSON.parse(readFileSync(join(dir, 'same', 'metrics.json'), 'utf8')).scores.spam;
  // A hand count of results.jsonl.
  const lines = readFileSync(join(dir, 'same', 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as { value: string; label: string; trace?: { in_training?: boolean } },
    );
  const outside = lines.filter((line) => line.trace?.in_training !== true);
  expect(metrics.n_in_training).toBe(lines.length - outside.length);
  expect(metrics.n_in_training).toBe(720);
  expect(metrics.n_not_in_training).toBe(outside.length);
  expect(metrics.accuracy_not_in_training).toBe(
    outside.filter((line) => line.value === line.label).length / outside.length,
  );
  // The items outside it are the held-out split `plexus train` measured, with the same model.
  expect(metrics.n_not_in_training).toBe(180);
  expect(metrics.accuracy_not_in_training).toBe(trained.metrics.accuracy);
  expect(metrics.accuracy).toBeGreaterThan(metrics.accuracy_not_in_training);
  expect(stdout).toContain(
    `warning: spam: 720 of its answers are on items of its model's training data (the same text), where it remembers rather than predicts; accuracy over the 180 labelled items outside it ${trained.metrics.accuracy.toFixed(3)}`,
  );
  expect(readFileSync(join(dir, 'same', 'report.html'), 'utf8')).toContain(
    "720 of its answers are on items of its model's training data",
  );

  // Texts it never saw: nothing to say.
  run(['evaluate', 'spam.yaml', '--data', 'unseen.csv', '--out', 'unseen']);
  const unseen = JSON.parse(readFileSync(join(dir, 'unseen', 'metrics.json'), 'utf8')).scores.spam;
  expect(unseen.n).toBe(200);
  expect(unseen.n_in_training).toBeUndefined();
});
