import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

/** 40 messages, spam and ham in turn, with a `dur` column. */
function project(): string {
  const dir = workDir('forest-features');
  const rows = ['id,text,label,dur'];
  for (let index = 0; index < 40; index += 1) {
    const spam = index % 2 === 0;
    rows.push(
      `${index},${spam ? 'free prize win now' : 'see you at lunch'} ${index},${spam ? 'spam' : 'ham'},${spam ? 100 + index : 5 + index}`,
    );
  }
  writeFileSync(join(dir, 'train.csv'), `${rows.join('\n')}\n`);
  return dir;
}

function card(dir: string, name: string, features: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `name: F\nkey: f\ndata:\n  path: train.csv\nscores:\n  - name: Forest\n    class: forest/random-forest\n    labels: [spam, ham]\n    label_column: label\n    model: m.forest.json\n    trees: 5\n${features}`,
  );
  return path;
}

describe('a forest model trained with other numeric fields than its score sets', () => {
  it('is refused at validate naming the file, the difference and the fix; retraining mends it', async () => {
    const dir = project();
    const withDuration = card(dir, 'with.yaml', '    features: { numeric_fields: [dur] }\n');
    const textOnly = card(dir, 'text.yaml', '');
    expect((await runCli(['train', withDuration, '--data', join(dir, 'train.csv')])).code).toBe(0);

    // The scorecard no longer lists dur: validate said valid and every item of the run failed
    // (40 of 40 missing_feature errors, exit 3).
    const validate = await runCli(['validate', textOnly]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('text.yaml:10:12: scores[0].model:');
    expect(validate.stderr).toContain('m.forest.json');
    expect(validate.stderr).toContain('numeric_fields: [dur] in the model, [] in the score');
    expect(validate.stderr).toContain('plexus train');
    expect(validate.stderr).not.toMatch(/\n\s+at /);

    // Its text settings are the model's own (a sweep's best model may have others): it loads.
    const ngrams = card(
      dir,
      'ngrams.yaml',
      '    features: { numeric_fields: [dur], word_ngrams: [1, 3] }\n',
    );
    expect((await runCli(['validate', ngrams])).code).toBe(0);

    // The model it was trained with still loads; retrained for the text alone, so does the other.
    expect((await runCli(['validate', withDuration])).code).toBe(0);
    expect((await runCli(['train', textOnly, '--data', join(dir, 'train.csv')])).code).toBe(0);
    const run = await runCli(['evaluate', textOnly, '--no-cache', '--out', join(dir, 'run')]);
    expect(run.code).toBe(0);
    const lines = readFileSync(join(dir, 'run', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n');
    // By hand: 40 rows, one score: 40 results, none an error.
    expect(lines).toHaveLength(40);
    expect(lines.filter((line) => JSON.parse(line).status !== 'ok')).toEqual([]);
  });

  it('a model file too large to read as text is named with its size and the fix, before it is read', async () => {
    const dir = project();
    const textOnly = card(dir, 'text.yaml', '');
    writeFileSync(join(dir, 'm.forest.json'), '');
    truncateSync(join(dir, 'm.forest.json'), 600 * 2 ** 20); // sparse: no disk, no read
    const validate = await runCli(['validate', textOnly]);
    expect(validate.code).toBe(2);
    // It read 600 MB, then said "Invalid string length".
    expect(validate.stderr).toContain('m.forest.json is 600 MB');
    expect(validate.stderr).toContain('fewer or shallower trees');
    expect(validate.stderr).not.toContain('Invalid string length');
  });

  it('a model of a later format version says to upgrade, not to train again over it', async () => {
    const dir = project();
    const textOnly = card(dir, 'text.yaml', '');
    expect((await runCli(['train', textOnly, '--data', join(dir, 'train.csv')])).code).toBe(0);
    const path = join(dir, 'm.forest.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), version: 2 }));
    const validate = await runCli(['validate', textOnly]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(
      'a plexus-forest model of version 2, written by a newer @plexus/classifier-forest',
    );
    expect(validate.stderr).toContain('upgrade @plexus/classifier-forest');
    expect(validate.stderr).not.toContain('train it again');
  });
});
