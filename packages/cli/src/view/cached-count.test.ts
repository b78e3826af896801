import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from './server.js';
import { guessPlugin } from './test-runs.js';

// A run scored twice with a result cache: the second run's answers come from it, its errors do
// not (they are not cached). The run page says how many, counted by hand from results.jsonl.
const folder = mkdtempSync(join(tmpdir(), 'plexus-view-cached-'));
const root = join(folder, 'runs');
let viewer: Viewer;

const rows = Array.from({ length: 30 }, (_, index) => ({
  id: `c${index}`,
  guess: index < 4 ? 'FAIL' : index % 3 ? 'yes' : 'no',
  gold: index % 2 ? 'yes' : 'no',
}));

async function run(name: string) {
  const data = join(folder, 'data.csv');
  const source =
    'name: Cached\nscores:\n  - { name: Intent, class: echo/guess, labels: ["yes", "no"] }\n';
  const file = join(folder, 'card.yaml');
  writeFileSync(file, source);
  writeFileSync(
    data,
    `id,text,guess,Intent\n${rows.map((row) => `${row.id},text ${row.id},${row.guess},${row.gold}`).join('\n')}\n`,
  );
  const cacheDir = join(folder, 'cache');
  const scorecard = await parseScorecard(source, { file, plugins: [guessPlugin], cacheDir });
  return evaluate({ scorecard, data, outDir: join(root, name), cacheDir });
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  await run('first');
  await run('second');
  viewer = await startViewer({ root, port: 0 });
});

afterAll(async () => {
  await viewer?.close();
});

describe('the run page of a run whose answers came from the cache', () => {
  it('says how many of its results came from the cache', async () => {
    const counted = (name: string) =>
      readFileSync(join(root, name, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter((line) => (JSON.parse(line) as ResultLine).cached).length;
    // By hand: the 26 answers of the second run; none of the first; the 4 errors never.
    expect([counted('first'), counted('second')]).toEqual([0, 26]);
    for (const [name, cached] of [
      ['first', 0],
      ['second', 26],
    ] as const) {
      const page = await (await fetch(new URL(`/run/${name}`, viewer.url))).text();
      expect(page).toContain(
        `<span id="from-cache">from the cache: ${cached} of ${rows.length} results</span>`,
      );
    }
  });

  it("says a cached answer's cost and calls are none in this run, its traced calls an earlier run's", async () => {
    const item = async (name: string) =>
      (await fetch(new URL(`/run/${name}/item/c10`, viewer.url))).text();
    const cached = await item('second');
    expect(cached).toContain(
      '<dt>cost</dt><dd>$0.000000 in this run (the answer came from the cache)</dd>',
    );
    expect(cached).toContain(
      '<dt>LLM calls</dt><dd>0 (0 + 0 tokens) in this run (the answer came from the cache)</dd>',
    );
    expect(cached).toContain(
      'LLM calls: what was asked and answered <span class="note">(by an earlier run: this answer came from the cache)</span>',
    );
    const first = await item('first');
    expect(first).toContain('<dt>cost</dt><dd>$0.000000</dd>');
    expect(first).not.toContain('from the cache');
  });
});
