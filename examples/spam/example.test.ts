import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');

function plexus(args: string[], cwd = here): string {
  return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
}

it('trains the forest, scores the held-out messages three ways and compares them', () => {
  const trained = plexus([
    'train',
    'scorecard.yaml',
    '--data',
    'data/train.csv',
    '--seed',
    '1',
    '--quiet',
  ]);
  expect(trained).toMatch(/Spam Forest: trained on 3568 items, tested on 892/);
  const out = join(mkdtempSync(join(tmpdir(), 'plexus-spam-')), 'run');
  const models = ['Spam Words', 'Spam Forest', 'Spam ONNX'].flatMap((name) => ['--score', name]);
  const summary = JSON.parse(
    plexus(['evaluate', 'scorecard.yaml', ...models, '--out', out, '--json', '--no-cache']),
  );
  expect(summary).toMatchObject({ status: 'completed', items: 1114, errors: 0 });
  expect(summary.scores['Spam ONNX'].accuracy).toBeGreaterThan(0.97);
  expect(summary.scores['Spam Forest'].accuracy).toBeGreaterThan(0.95);
  expect(summary.scores['Spam Words'].accuracy).toBeGreaterThan(0.9);
  const comparison = plexus([
    'compare',
    out,
    out,
    '--pair',
    'Spam ONNX=Spam Forest',
    '--pair',
    'Spam ONNX=Spam Words',
  ]);
  expect(comparison).toContain('Spam ONNX vs Spam Forest: 1114 items scored by both');
  expect(comparison).toMatch(/Spam ONNX vs Spam Words: 1114 items[\s\S]*McNemar p = /);
}, 900_000);

it('asks the local LLM about the first 30 messages and compares it with the ONNX model', () => {
  execFileSync(join(root, 'scripts/fetch-gemma.sh'), [join(root, '.cache/models/gemma')]);
  const out = join(mkdtempSync(join(tmpdir(), 'plexus-spam-llm-')), 'run');
  const scores = ['Spam LLM', 'Spam ONNX'].flatMap((name) => ['--score', name]);
  const summary = JSON.parse(
    plexus(['evaluate', 'scorecard.yaml', ...scores, '--limit', '30', '--out', out, '--json']),
  );
  // Every message gets a label from the grammar-constrained model: no errors, none lost.
  expect(summary).toMatchObject({ status: 'completed', items: 30, results: 60, errors: 0 });
  expect(summary.scores['Spam LLM'].n).toBe(30);
  const comparison = plexus(['compare', out, out, '--pair', 'Spam ONNX=Spam LLM']);
  expect(comparison).toContain('Spam ONNX vs Spam LLM: 30 items scored by both');
}, 900_000);

it('re-runs the ONNX training script: the new model answers like the committed one', () => {
  const python = execFileSync(
    join(root, 'scripts/python-venv.sh'),
    ['onnx', '-r', join(root, 'packages/classifier-onnx/scripts/requirements.txt')],
    { encoding: 'utf8' },
  ).trim();
  const dir = mkdtempSync(join(tmpdir(), 'plexus-spam-onnx-'));
  execFileSync(python, [
    join(root, 'packages/classifier-onnx/scripts/train_tfidf.py'),
    join(here, 'data/train.csv'),
    join(dir, 'spam.onnx'),
  ]);
  copyFileSync(join(here, 'models/spam.onnx'), join(dir, 'committed.onnx'));
  writeFileSync(
    join(dir, 'card.yaml'),
    `name: Check\nscores:\n  - { name: New, class: onnx/classifier, labels: [spam, ham], model: spam.onnx, label_column: label }\n  - { name: Committed, class: onnx/classifier, labels: [spam, ham], model: committed.onnx, label_column: label }\n`,
  );
  const out = join(dir, 'run');
  const run = spawnSync(
    process.execPath,
    [
      cli,
      'evaluate',
      join(dir, 'card.yaml'),
      '--data',
      join(here, 'data/test.csv'),
      '--out',
      out,
      '--quiet',
    ],
    { cwd: here, encoding: 'utf8' },
  );
  expect(run.status).toBe(0);
  const values = new Map<string, string>();
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  for (const line of lines.filter((entry) => entry.score === 'Committed'))
    values.set(line.item_id, line.value);
  const news = lines.filter((entry) => entry.score === 'New');
  expect(news).toHaveLength(1114);
  for (const line of news) expect(line.value).toBe(values.get(line.item_id));
}, 900_000);
