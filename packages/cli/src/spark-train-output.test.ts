import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as forest } from '@plexus/classifier-forest';
import { loadScorecard, train } from '@plexus/core';
import { expect, it } from 'vitest';
import { sparkTrainedText } from './commands/spark-train.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const spam = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));

// `plexus spark train` printed neither the line about declared labels no training item has nor
// the note under the held-out metrics about answers on training texts, both of which `plexus
// train` prints for the same model (spark-runner's tests check the facts and metrics are equal).
it("spark train prints plexus train's lines on absent labels and on answers on training texts", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-train-output-'));
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Three\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham, phishing], label_column: label, model: f.json, trees: 4 }\n',
  );
  const local = spawnSync(
    process.execPath,
    [bin, 'train', card, '--data', spam, '--split', 'hash', '--shards', '2', '--quiet'],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, PLEXUS_CACHE_DIR: join(dir, 'cache') } },
  );
  expect(local.status).toBe(0);
  const absent = local.stdout.split('\n').find((line) => line.includes('no training item'));
  const note = local.stdout.split('\n').find((line) => line.startsWith('warning: Forest: '));
  expect(absent).toBe(
    '  no training item is labelled "phishing": the model never answers it; train on items of every label',
  );
  expect(note).toMatch(/^warning: Forest: \d+ of its answers are on items of its model's training/);
  // What trainOnSpark gives for the same data (the same model, facts and metrics as locally).
  const [trained] = await train({
    scorecard: await loadScorecard(card, { plugins: [forest], create: false }),
    data: spam,
    split: 'hash',
    settingsOverride: { shards: 2 },
  });
  const text = sparkTrainedText(
    {
      modelPath: trained!.modelPath,
      shards: 2,
      trainItems: trained!.trainItems,
      testItems: trained!.testItems,
      metrics: trained!.metrics,
      counts: { item: 1114 },
      firstProblems: [],
      facts: [...trained!.facts],
      durationS: 1,
    },
    {
      score: 'Forest',
      input: spam,
      seed: 0,
      testFraction: 0.2,
      path: card,
      output: 'out',
      registered: [],
    },
  );
  expect(text.split('\n')).toContain(absent);
  expect(text.split('\n')).toContain(note);
});
