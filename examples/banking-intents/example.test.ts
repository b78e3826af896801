import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');

function plexus(args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, MLFLOW_TRACKING_URI: '' },
  });
}

it('trains the forest, then scores a seeded sample of the test set with the forest and MiniLM', () => {
  execFileSync(join(here, '../../scripts/fetch-minilm.sh'), [join(here, 'models/minilm')]);
  expect(
    plexus([
      'train',
      'scorecard.yaml',
      '--data',
      'data/train.csv',
      '--test-fraction',
      '0',
      '--quiet',
    ]),
  ).toMatch(/Intent Forest: trained on 10003 items, tested on 0/);
  const out = join(mkdtempSync(join(tmpdir(), 'plexus-banking-')), 'run');
  // Only the two models: the LLM tier would be asked for the 64 of these 300 the forest is unsure
  // of (about 2.5 CPU seconds each, most of this suite's time); the next test runs it.
  const summary = JSON.parse(
    plexus([
      'evaluate',
      'scorecard.yaml',
      ...['--score', 'Intent Forest', '--score', 'Intent MiniLM'],
      '--sample',
      '300',
      '--seed',
      '1',
      '--out',
      out,
      '--json',
      '--no-cache',
    ]),
  );
  expect(summary).toMatchObject({ status: 'completed', items: 300, results: 600, errors: 0 });
  expect(summary.scores['Intent Forest'].accuracy).toBeGreaterThan(0.75);
  expect(summary.scores['Intent MiniLM'].accuracy).toBeGreaterThan(0.85);
}, 900_000);

it('runs the cascade: the LLM only where the forest is unsure, the cascade takes its answer there', () => {
  execFileSync(join(here, '../../scripts/fetch-gemma.sh'), [
    join(here, '../../.cache/models/gemma'),
  ]);
  const out = join(mkdtempSync(join(tmpdir(), 'plexus-cascade-')), 'run');
  const summary = JSON.parse(
    plexus([
      ...['evaluate', 'scorecard.yaml', '--score', 'Intent Cascade', '--sample', '40'],
      ...['--seed', '1', '--out', out, '--json', '--no-cache'],
    ]),
  );
  expect(summary).toMatchObject({ status: 'completed', items: 40, results: 120, errors: 0 });
  const llm = summary.scores['Intent LLM'];
  expect(llm.n).toBeGreaterThan(0);
  expect(llm.n + llm.n_skipped).toBe(40);
  expect(summary.llmCalls).toBe(llm.n);
  expect(summary.scores['Intent Cascade'].n).toBe(40);
  const byItem = new Map<string, Record<string, { value: string | null; confidence?: number }>>();
  for (const line of readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n')) {
    const result = JSON.parse(line);
    byItem.set(result.item_id, { ...byItem.get(result.item_id), [result.score]: result });
  }
  for (const results of byItem.values()) {
    const asked = results['Intent LLM']!.value !== null;
    expect(asked).toBe(results['Intent Forest']!.confidence! < 0.3);
    expect(results['Intent Cascade']!.value).toBe(
      (asked ? results['Intent LLM'] : results['Intent Forest'])!.value,
    );
  }
}, 900_000);
