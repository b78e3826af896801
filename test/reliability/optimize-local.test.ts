// The keyless demo of `plexus optimize` (examples/spam/optimize.yaml), run for real: the local
// Gemma 3 270M scores the messages and proposes the edits (node-llama-cpp, no key, no network once
// the model is fetched). Every figure of the changelog is checked against the run folders and the
// example's CSV; the decision against McNemar's exact test computed here.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = join(root, 'examples/spam');
const scorecard = join(example, 'optimize.yaml');
const model = join(root, '.cache/models/gemma/gemma-3-270m-q4_k_m.gguf');

beforeAll(() => {
  execFileSync(join(root, 'scripts/fetch-gemma.sh'), [join(root, '.cache/models/gemma')]);
}, 600_000);

/** id → gold label, from the example's CSV (no quoted commas in the ids or labels). */
function goldLabels(): Map<string, string> {
  const lines = readFileSync(join(example, 'data/optimize.csv'), 'utf8').trim().split('\n');
  return new Map(
    lines.slice(1).map((line) => {
      const id = line.slice(0, line.indexOf(','));
      return [id, line.slice(line.lastIndexOf(',') + 1)];
    }),
  );
}

/** item → answer of a run folder (its results.jsonl). */
function answers(dir: string): Map<string, string | null> {
  const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
  return new Map(
    lines.map((line) => {
      const result = JSON.parse(line) as { item_id: string; value: string | null };
      return [result.item_id, result.value];
    }),
  );
}

function accuracy(dir: string, gold: Map<string, string>): number {
  const given = answers(dir);
  let correct = 0;
  for (const [id, value] of given) if (value === gold.get(id)) correct += 1;
  return correct / given.size;
}

function choose(n: number, k: number): number {
  let result = 1;
  for (let index = 1; index <= k; index += 1) result = (result * (n - k + index)) / index;
  return result;
}

/** McNemar's exact two-sided p from the two holdout runs. */
function mcnemar(dirA: string, dirB: string, gold: Map<string, string>): number {
  const a = answers(dirA);
  const b = answers(dirB);
  let onlyA = 0;
  let onlyB = 0;
  for (const [id, label] of gold) {
    if (!a.has(id)) continue;
    const rightA = a.get(id) === label;
    const rightB = b.get(id) === label;
    if (rightA && !rightB) onlyA += 1;
    if (rightB && !rightA) onlyB += 1;
  }
  const n = onlyA + onlyB;
  let tail = 0;
  for (let k = 0; k <= Math.min(onlyA, onlyB); k += 1) tail += choose(n, k) / 2 ** n;
  return n === 0 ? 1 : Math.min(1, 2 * tail);
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Round {
  outcome: string;
  version: string | null;
  p_value: number | null;
  edit: { node: string; reason: string } | null;
  metrics: {
    train: { current: number; candidate: number | null };
    validation: { current: number; candidate: number | null };
    holdout: { current: number | null; candidate: number | null; items: number | null };
  };
  candidates: {
    node: string | null;
    reason: string | null;
    validation_accuracy: number | null;
    dropped: string | null;
  }[];
}

it('runs the keyless demo: the local model scores and optimizes; the changelog follows McNemar', async () => {
  const before = digest(scorecard);
  const filesBefore = readdirSync(example).sort();
  const dir = workDir('optimize-local');
  const out = join(dir, 'out');
  const started = performance.now();
  const result = await runCli(
    [
      'optimize',
      scorecard,
      '--score',
      'Spam LLM',
      '--optimizer-provider',
      'llama-cpp',
      '--optimizer-model',
      model,
      '--rounds',
      '1',
      '--candidates',
      '2',
      '--out',
      out,
    ],
    // No key and no endpoint: a call over the network would fail.
    {
      PLEXUS_CACHE_DIR: join(dir, 'cache'),
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: 'http://127.0.0.1:9',
      MLFLOW_TRACKING_URI: '',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`keyless optimize demo: ${seconds.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain(
    'optimizer: llama-cpp gemma-3-270m-q4_k_m.gguf (local, CPU; cost 0)',
  );

  // The original scorecard and the example folder are untouched: versions go to --out only.
  expect(digest(scorecard)).toBe(before);
  expect(readdirSync(example).sort()).toEqual(filesBefore);

  // The split: 30 items, stratified 0.6/0.2/0.2 (15 per class: 9/3/3), disjoint.
  const gold = goldLabels();
  const split = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8')) as {
    ids: Record<'train' | 'validation' | 'holdout', string[]>;
  };
  const all = [...split.ids.train, ...split.ids.validation, ...split.ids.holdout];
  expect(new Set(all).size).toBe(30);
  expect([...all].sort()).toEqual([...gold.keys()].sort());
  for (const [name, size] of [
    ['train', 9],
    ['validation', 3],
    ['holdout', 3],
  ] as const)
    for (const label of ['spam', 'ham'])
      expect(split.ids[name].filter((id) => gold.get(id) === label)).toHaveLength(size);

  const log = JSON.parse(readFileSync(join(out, 'changelog.json'), 'utf8')) as {
    rounds: Round[];
    spent_usd: number | null;
  };
  // A local model costs 0, a known figure (not null, "unknown").
  expect(log.spent_usd).toBe(0);
  expect(log.rounds).toHaveLength(1);
  const round = log.rounds[0]!;
  const runs = join(out, 'round-1');
  expect(round.metrics.train.current).toBeCloseTo(accuracy(join(runs, 'current-train'), gold), 10);
  expect(round.metrics.validation.current).toBeCloseTo(
    accuracy(join(runs, 'current-validation'), gold),
    10,
  );
  // The grammar holds the local model to the candidate schema: its answer parses, K at most.
  expect(round.candidates.length).toBeGreaterThanOrEqual(1);
  expect(round.candidates.length).toBeLessThanOrEqual(2);
  for (const [index, candidate] of round.candidates.entries()) {
    const runDir = join(runs, `candidate-${index + 1}-validation`);
    if (!existsSync(runDir)) continue;
    expect(candidate.validation_accuracy).toBeCloseTo(accuracy(runDir, gold), 10);
    if (candidate.validation_accuracy! <= round.metrics.validation.current)
      expect(candidate.dropped).toContain('not above the current');
  }
  checkDecision(round, runs, gold, out);

  const markdown = readFileSync(join(out, 'changelog.md'), 'utf8');
  expect(markdown).toContain(`| 1 | ${round.outcome} |`);
  expect(markdown).toContain('Spent: $0.0000.');
  // Every candidate is listed with what it proposed and what became of it.
  for (const [index, candidate] of round.candidates.entries())
    expect(markdown).toContain(
      `- candidate ${index + 1}, ${candidate.node} (${JSON.stringify(candidate.reason)}), validation ${candidate.validation_accuracy?.toFixed(3)}: `,
    );
}, 600_000);

it('refuses a missing GGUF file and HTTP-only flags with --optimizer-provider llama-cpp', async () => {
  const dir = workDir('optimize-local-flags');
  const base = ['optimize', scorecard, '--score', 'Spam LLM', '--optimizer-provider', 'llama-cpp'];
  const missing = await runCli([
    ...base,
    '--optimizer-model',
    join(dir, 'none.gguf'),
    '--out',
    join(dir, 'a'),
  ]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('--optimizer-model');
  expect(missing.stderr).toContain(`no GGUF file at ${join(dir, 'none.gguf')}`);
  const priced = await runCli([
    ...base,
    '--optimizer-model',
    model,
    '--optimizer-price',
    '1,2',
    '--out',
    join(dir, 'b'),
  ]);
  expect(priced.code).toBe(2);
  expect(priced.stderr).toContain('--optimizer-price');
  expect(priced.stderr).toContain('cost 0');
  expect(existsSync(join(dir, 'a'))).toBe(false);
  expect(existsSync(join(dir, 'b'))).toBe(false);
});

/** Accepted exactly when McNemar's p < 0.05 and the candidate is more accurate on the holdout. */
function checkDecision(round: Round, runs: string, gold: Map<string, string>, out: string) {
  if (round.outcome === 'no valid candidate') {
    // No candidate beat the current version on validation: the holdout was never used.
    expect(round.p_value).toBeNull();
    expect(round.version).toBeNull();
    for (const candidate of round.candidates) expect(candidate.dropped).not.toBeNull();
    expect(readdirSync(runs).filter((name) => name.endsWith('-holdout'))).toEqual([]);
    expect(existsSync(join(out, 'optimize.v2.yaml'))).toBe(false);
    return;
  }
  const candidate = readdirSync(runs).find((name) => /^candidate-\d+-holdout$/.test(name))!;
  const current = join(runs, 'current-holdout');
  const p = mcnemar(current, join(runs, candidate), gold);
  expect(round.p_value).toBeCloseTo(p, 10);
  expect(round.metrics.holdout.items).toBe(6);
  const better = accuracy(join(runs, candidate), gold) > accuracy(current, gold);
  expect(round.outcome).toBe(p < 0.05 && better ? 'accepted' : 'no significant improvement');
  expect(existsSync(join(out, 'optimize.v2.yaml'))).toBe(round.outcome === 'accepted');
}
