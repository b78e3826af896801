import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-register-checks-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));
const trackingUri = process.env.MLFLOW_TRACKING_URI;
afterEach(() => {
  if (trackingUri === undefined) delete process.env.MLFLOW_TRACKING_URI;
  else process.env.MLFLOW_TRACKING_URI = trackingUri;
});

const spamTrain = fileURLToPath(new URL('../../../examples/spam/data/train.csv', import.meta.url));
cpSync(spamTrain, join(project, 'train.csv'));

function card(name: string, scores: string[]): string {
  const lines = scores.map(
    (score, index) =>
      `  - { name: ${JSON.stringify(score)}, class: forest/random-forest, labels: [spam, ham], label_column: label, model: m${index}.forest.json, trees: 3 }`,
  );
  const file = join(project, name);
  writeFileSync(file, `name: Register\ndata: { path: train.csv }\nscores:\n${lines.join('\n')}\n`);
  return file;
}

// `train --register` trained every model (minutes on real data), then said that MLflow needs a
// tracking URI, or registered two scores whose names differ only in punctuation or case as
// versions of one MLflow model (an alias then pointing at either).
describe('plexus train --register, checked before training', () => {
  it('without a tracking URI: refused, no model written', async () => {
    delete process.env.MLFLOW_TRACKING_URI;
    const file = card('no-uri.yaml', ['Spam Forest']);
    const result = await runMain(['train', file, '--register']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('MLFLOW_TRACKING_URI');
    expect(existsSync(join(project, 'm0.forest.json'))).toBe(false);
  });

  it('two scores that would be one MLflow model: refused, naming both, no model written', async () => {
    process.env.MLFLOW_TRACKING_URI = 'http://127.0.0.1:9';
    const file = card('clash.yaml', ['Spam Forest', 'spam forest!']);
    const result = await runMain(['train', file, '--register']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--register: scores "Spam Forest" and "spam forest!" would be registered as one MLflow model (register.spam-forest)',
    );
    expect(existsSync(join(project, 'm0.forest.json'))).toBe(false);
    expect(existsSync(join(project, 'm1.forest.json'))).toBe(false);
  });
});
