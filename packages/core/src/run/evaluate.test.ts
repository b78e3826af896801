import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';
import { storedLines } from './result-line-fixture.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-evaluate-'));
const data = join(folder, 'data.csv');
writeFileSync(
  data,
  `id,text,Card,Lost\n${Array.from({ length: 50 }, (_, index) => `i${index},${index % 2 ? 'lost card' : 'hello'} ${index},${index % 2 ? 'yes' : 'no'},${index % 3 ? 'yes' : 'no'}`).join('\n')}\n`,
);
const yaml = `name: Cards
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: lost, depends_on: { Card: { operator: "==", value: "yes" } } }
`;

async function card() {
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  return parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
}

const lines = storedLines;

describe('evaluate', () => {
  it('writes a run folder with one line per item and score, gold labels and counts', async () => {
    const out = join(folder, 'run1');
    const summary = await evaluate({ scorecard: await card(), data, outDir: out, cache: false });
    expect(summary.status).toBe('completed');
    expect(summary.items).toBe(50);
    expect(summary.results).toBe(100);
    expect(summary.scores.Card).toMatchObject({ n: 50, n_results: 50, accuracy: 1 });
    expect(summary.scores.Lost).toMatchObject({ n: 25, n_skipped: 25 });
    const stored = lines(out);
    expect(stored).toHaveLength(100);
    expect(stored[0]).toMatchObject({
      item_id: 'i0',
      score: 'Card',
      value: 'no',
      label: 'no',
      correct: true,
      status: 'ok',
    });
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      status: 'completed',
      counts: { items: 50, results: 100, malformed_rows: 0 },
    });
    expect(existsSync(join(out, 'scorecard.yaml'))).toBe(true);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({
      scorecard: 'Cards',
      items: 50,
      cost: { usd: 0, llm_calls: 0 },
    });
    expect(metrics.scores.Card).toMatchObject({ n: 50, accuracy: 1, cohen_kappa: 1, gwet_ac1: 1 });
    expect(metrics.scores.Card.confusion_matrix).toEqual({
      labels: ['no', 'yes'],
      matrix: [
        [25, 0],
        [0, 25],
      ],
    });
    // Lost runs only on card items (25); its gold is yes for 2 of 3 items, its answer always yes.
    expect(metrics.scores.Lost.n).toBe(25);
    expect(metrics.scores.Lost.accuracy).toBeCloseTo(summary.scores.Lost!.accuracy!, 12);
    expect(metrics.scores.Lost.f1.per_class.no).toBe(0);
  });

  it('resumes a run cut short: no result twice, none missing, nothing rescored', async () => {
    const out = join(folder, 'run2');
    await evaluate({ scorecard: await card(), data, outDir: out, cache: false });
    const path = join(out, 'results.jsonl');
    const full = readFileSync(path, 'utf8');
    // Keep 37 whole lines and half of the 38th, as a crash mid-write would.
    const cut = full.split('\n').slice(0, 37).join('\n').length + 1 + 20;
    truncateSync(path, cut);
    let rescored = 0;
    const summary = await evaluate({
      scorecard: await card(),
      data,
      resumeDir: out,
      cache: false,
      onResult: () => {
        rescored += 1;
      },
    });
    expect(summary.status).toBe('completed');
    expect(rescored).toBe(100 - 37);
    const stored = lines(out);
    const keys = stored.map((line) => `${line.item_id}:${line.score}`);
    expect(new Set(keys).size).toBe(100);
    expect(stored).toHaveLength(100);
    expect(summary.scores.Card).toMatchObject({ n: 50, accuracy: 1 });
  });

  it('serves unchanged scores from the cache on a re-run', async () => {
    const cacheDir = join(folder, 'cache');
    const first = await evaluate({
      scorecard: await card(),
      data,
      outDir: join(folder, 'run3'),
      cacheDir,
    });
    expect(first.cacheHits).toBe(0);
    const second = await evaluate({
      scorecard: await card(),
      data,
      outDir: join(folder, 'run4'),
      cacheDir,
    });
    expect(second.cacheHits).toBe(75);
    // The same value for every item and score (lines come in the order results complete, which a
    // cache hit changes: it completes at once).
    const values = (dir: string) =>
      lines(join(folder, dir))
        .map((line) => `${line.item_id}:${line.score}=${line.value}`)
        .sort();
    expect(values('run4')).toHaveLength(100);
    expect(values('run4')).toEqual(values('run3'));
  });

  it('limits and samples with a seed', async () => {
    const limited = await evaluate({
      scorecard: await card(),
      data,
      outDir: join(folder, 'run5'),
      limit: 5,
      cache: false,
    });
    expect(limited.items).toBe(5);
    const sampleA = await evaluate({
      scorecard: await card(),
      data,
      outDir: join(folder, 'run6'),
      sample: { size: 10, seed: 7 },
      cache: false,
    });
    const sampleB = await evaluate({
      scorecard: await card(),
      data,
      outDir: join(folder, 'run7'),
      sample: { size: 10, seed: 7 },
      cache: false,
    });
    expect(sampleA.items).toBe(10);
    const deterministic = (summary: typeof sampleA) =>
      Object.values(summary.scores).map((score) => [
        score.confusion_matrix,
        score.accuracy_ci95,
        score.f1_macro_ci95,
      ]);
    expect(deterministic(sampleB)).toEqual(deterministic(sampleA));
    const ids = (dir: string) => [...new Set(lines(dir).map((line) => line.item_id))];
    expect(ids(join(folder, 'run6'))).toEqual(ids(join(folder, 'run7')));
    expect(ids(join(folder, 'run6'))).not.toEqual(ids(join(folder, 'run5')));
  });

  it('keeps a completed run when report.html cannot be written, and says how to retry', async () => {
    const out = join(folder, 'run-no-report');
    mkdirSync(join(out, 'report.html'), { recursive: true });
    const summary = await evaluate({ scorecard: await card(), data, outDir: out, cache: false });
    expect(summary).toMatchObject({ status: 'completed', results: 100, report: null });
    expect(summary.reportError).toMatch(
      new RegExp(`report.html could not be written \\(.*\\); retry with: plexus report ${out}`),
    );
    expect(lines(out)).toHaveLength(100);
    expect(existsSync(join(out, 'metrics.json'))).toBe(true);
  });

  it('refuses to overwrite a run folder', async () => {
    const out = join(folder, 'run1');
    await expect(evaluate({ scorecard: await card(), data, outDir: out })).rejects.toThrow(
      /already holds a run; use --resume/,
    );
  });
});
