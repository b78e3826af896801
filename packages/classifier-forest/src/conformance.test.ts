import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeScoreConformance } from '@plexus/core/testing';
import { ForestModel } from './forest-model.js';
import { randomForestFactory } from './forest-score.js';
import { forestSettingsSchema } from './forest-settings.js';
import { trainForest } from './forest-trainer.js';

// A small model trained on the first 300 fixture messages, in a folder the suite uses as baseDir.
const rows = readFileSync(
  fileURLToPath(new URL('../fixtures/sms-1200.csv', import.meta.url)),
  'utf8',
)
  .split('\n')
  .slice(1, 301)
  .map((line, index) => ({
    id: String(index),
    text: line.replace(/,(ham|spam)$/, ''),
    metadata: {},
    label: line.endsWith(',spam') ? 'spam' : 'ham',
  }));
const baseDir = mkdtempSync(join(tmpdir(), 'plexus-forest-conformance-'));
const settings = forestSettingsSchema.parse({ model: 'spam.json', trees: 5 });
writeFileSync(
  join(baseDir, 'spam.json'),
  ForestModel.serialize(trainForest({ settings, labels: ['spam', 'ham'], items: rows }).file),
);

describeScoreConformance('forest/random-forest', {
  factory: randomForestFactory,
  settings: { model: 'spam.json', trees: 5 },
  otherSettings: { model: 'spam.json', trees: 5, threshold: 0.3 },
  invalidSettings: { model: 'spam.json', tres: 5 },
  labels: ['spam', 'ham'],
  env: { baseDir },
});
