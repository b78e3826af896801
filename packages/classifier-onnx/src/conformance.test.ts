import { join } from 'node:path';
import { describeScoreConformance } from '@plexus/core/testing';
import { onnxClassifierFactory } from './onnx-score.js';
import { fixtures, runScript, temporaryDir } from './test-models.js';

const baseDir = temporaryDir();
runScript('train_tfidf.py', [
  join(fixtures, 'sms-1200.csv'),
  join(baseDir, 'spam.onnx'),
  '--skip-every',
  '5',
]);

describeScoreConformance('onnx/classifier', {
  factory: onnxClassifierFactory,
  settings: { model: 'spam.onnx' },
  otherSettings: { model: 'spam.onnx', threshold: 0.2 },
  invalidSettings: { model: 'spam.onnx', batchsize: 8 },
  labels: ['spam', 'ham'],
  env: { baseDir },
});
