import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type RunMetricsFile } from '@plexus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRun, runMetrics } from './run-folders.js';
import { startViewer, type Viewer } from './server.js';
import { guessPlugin } from './test-runs.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-view-trust-'));
const root = join(folder, 'runs');
let viewer: Viewer;

// Gold and answers of a case-sensitive score: "Yes" and "yes" are two classes.
// Hand count: Yes 4 right; yes 2 right and 2 answered "Yes"; No 2 right.
const rows = [
  ...Array.from({ length: 4 }, () => ['Yes', 'Yes']),
  ...Array.from({ length: 2 }, () => ['yes', 'yes']),
  ...Array.from({ length: 2 }, () => ['yes', 'Yes']),
  ...Array.from({ length: 2 }, () => ['No', 'No']),
];

async function caseSensitiveRun(name: string): Promise<string> {
  const data = join(folder, `${name}.csv`);
  const lines = rows.map(([gold, guess], index) => `i${index},text ${index},${guess},${gold}`);
  writeFileSync(data, `id,text,guess,Intent\n${lines.join('\n')}\n`);
  const file = join(folder, `${name}.yaml`);
  const source = `name: Case\nscores:\n  - name: Intent\n    class: echo/guess\n    labels: [Yes, yes, No]\n    normalize_labels: { case: false }\n`;
  writeFileSync(file, source);
  const scorecard = await parseScorecard(source, {
    file,
    plugins: [guessPlugin],
    cacheDir: folder,
  });
  const outDir = join(root, name);
  await evaluate({ scorecard, data, outDir, cache: false });
  return outDir;
}

const f1 = (tp: number, predicted: number, support: number) => {
  const precision = tp / predicted;
  const recall = tp / support;
  return (2 * precision * recall) / (precision + recall);
};

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  await caseSensitiveRun('case');
  // The same run as it is while going (or killed before its end): no metrics.json, live metrics.
  const live = await caseSensitiveRun('case-live');
  rmSync(join(live, 'metrics.json'));
  // A run written before unknown prices were recorded: $0 for 10 LLM calls, no unpriced_models.
  const old = await caseSensitiveRun('old-cost');
  const metrics = JSON.parse(readFileSync(join(old, 'metrics.json'), 'utf8')) as RunMetricsFile;
  const { unpriced_models: _run, ...cost } = metrics.cost;
  const { unpriced_models: _score, ...score } = metrics.scores.Intent!;
  writeFileSync(
    join(old, 'metrics.json'),
    JSON.stringify({
      ...metrics,
      cost: { ...cost, usd: 0, llm_calls: 10 },
      scores: { Intent: { ...score, cost_usd: 0, llm_calls: 10 } },
    }),
  );
  viewer = await startViewer({ root, port: 0 });
});

afterAll(async () => {
  await viewer?.close();
});

describe('the viewer computes live metrics as the run does', () => {
  it("compares labels with the score's normalize_labels (case: false)", async () => {
    const live = await openRun(root, 'case-live');
    const { metrics, source } = await runMetrics(live!);
    expect(source).toBe('live');
    const expected = (f1(4, 6, 4) + f1(2, 2, 4) + f1(2, 2, 2)) / 3;
    expect(metrics.Intent!.f1!.macro).toBeCloseTo(expected, 12);
    expect(Object.keys(metrics.Intent!.f1!.per_class).sort()).toEqual(['No', 'Yes', 'yes']);
    // The same as the run's own metrics.json, written by the run with the score's settings.
    const final = await runMetrics((await openRun(root, 'case'))!);
    expect(final.source).toBe('final');
    expect(metrics.Intent!.f1!.macro).toBeCloseTo(final.metrics.Intent!.f1!.macro!, 12);
    expect(metrics.Intent!.accuracy).toBeCloseTo(8 / 10, 12);
  });

  it('says when it cannot know how the scores compare labels', async () => {
    const live = join(root, 'case-live');
    const kept = readFileSync(join(live, 'scorecard.yaml'), 'utf8');
    rmSync(join(live, 'scorecard.yaml'));
    try {
      const page = await (await fetch(new URL('/run/case-live', viewer.url))).text();
      expect(page).toContain(
        'labels compared the default way (ignoring case, n/a as na): the run folder keeps no scorecard.yaml or scorecard.json',
      );
    } finally {
      writeFileSync(join(live, 'scorecard.yaml'), kept);
    }
  });
});

describe('the viewer shows no $0 for a cost it does not know', () => {
  it('shows unknown, and why, for a run written before unknown prices were recorded', async () => {
    const page = await (await fetch(new URL('/run/old-cost', viewer.url))).text();
    const cell = page.match(/<td class="number cost">([^<]*)<\/td>/)?.[1];
    expect(cell).toBe(
      'unknown (run written before Plexus recorded unknown prices: a call to a model without a price counted $0)',
    );
  });

  it('shows dollars when the run recorded them: no LLM calls cost $0.0000', async () => {
    const page = await (await fetch(new URL('/run/case', viewer.url))).text();
    expect(page.match(/<td class="number cost">([^<]*)<\/td>/)?.[1]).toBe('$0.0000');
  });
});

describe('the viewer shows no count a run could not take', () => {
  it('shows unknown, and why, for counts_unknown (never the figures left in counts)', async () => {
    const run = join(root, 'case');
    const kept = readFileSync(join(run, 'run.json'), 'utf8');
    const info = JSON.parse(kept);
    writeFileSync(
      join(run, 'run.json'),
      JSON.stringify({
        ...info,
        counts: { ...info.counts, items: 7 },
        counts_unknown: 'results.jsonl could not be counted (EACCES)',
      }),
    );
    try {
      const page = await (await fetch(new URL('/run/case', viewer.url))).text();
      expect(page).toContain('items: unknown (results.jsonl could not be counted (EACCES))');
      expect(page).not.toContain('items: 7');
    } finally {
      writeFileSync(join(run, 'run.json'), kept);
    }
  });
});
