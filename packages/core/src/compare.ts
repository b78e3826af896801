import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError } from './errors.js';
import { normalizeLabel } from './labels.js';
import { bootstrapIntervals } from './metrics/bootstrap.js';
import { presentMatrixMetrics } from './metrics/classification.js';
import { mcnemarExact } from './metrics/mcnemar.js';
import { readResultLines } from './result-file.js';
import type { ResultLine } from './result-line.js';

/** One score compared between two runs, on the items both scored with a gold label. */
export interface ScoreComparison {
  score_a: string;
  score_b: string;
  /** Items both runs scored `ok` and that have a gold label. */
  n: number;
  accuracy_a: number;
  accuracy_b: number;
  /** accuracy_b - accuracy_a, with a paired bootstrap 95% interval. */
  accuracy_delta: number;
  accuracy_delta_ci95: [number, number];
  f1_macro_a: number;
  f1_macro_b: number;
  f1_macro_delta: number;
  f1_macro_delta_ci95: [number, number];
  /** Items only run A got right, and only run B. */
  only_a_correct: number;
  only_b_correct: number;
  /** McNemar's exact test on the discordant items. */
  mcnemar_p: number;
  significant: boolean;
  verdict: string;
}

export interface RunComparison {
  run_a: string;
  run_b: string;
  alpha: number;
  scores: ScoreComparison[];
}

export interface CompareOptions {
  runA: string;
  runB: string;
  /** [score of run A, score of run B] pairs; default: scores with the same name (or the only score of each). */
  pairs?: readonly (readonly [string, string])[];
  /** Significance level; default 0.05. */
  alpha?: number;
  seed?: number;
}

async function* resultLines(dir: string): AsyncGenerator<ResultLine> {
  const path = join(dir, 'results.jsonl');
  try {
    await access(path);
  } catch {
    throw new InvalidConfigError([{ path: dir, message: `not a run folder: ${path} not found` }]);
  }
  yield* readResultLines(path);
}

/** Gold and predicted label of every scored, labelled item of run A, per score. */
async function labelledResults(
  dir: string,
): Promise<Map<string, Map<string, { gold: string; value: string }>>> {
  const byScore = new Map<string, Map<string, { gold: string; value: string }>>();
  for await (const line of resultLines(dir)) {
    if (!byScore.has(line.score)) byScore.set(line.score, new Map());
    if (line.status !== 'ok' || line.value === null || line.label === null) continue;
    byScore
      .get(line.score)!
      .set(line.item_id, { gold: normalizeLabel(line.label), value: normalizeLabel(line.value) });
  }
  return byScore;
}

function choosePairs(
  scoresA: readonly string[],
  scoresB: readonly string[],
  given?: readonly (readonly [string, string])[],
): [string, string][] {
  if (given && given.length > 0) {
    const problems = given.flatMap(([a, b]) => [
      ...(scoresA.includes(a)
        ? []
        : [
            {
              path: '--pair',
              message: `run A has no score "${a}" (it has: ${scoresA.join(', ')})`,
            },
          ]),
      ...(scoresB.includes(b)
        ? []
        : [
            {
              path: '--pair',
              message: `run B has no score "${b}" (it has: ${scoresB.join(', ')})`,
            },
          ]),
    ]);
    if (problems.length > 0) throw new InvalidConfigError(problems);
    return given.map(([a, b]) => [a, b]);
  }
  const common = scoresA.filter((name) => scoresB.includes(name));
  if (common.length > 0) return common.map((name) => [name, name] as [string, string]);
  if (scoresA.length === 1 && scoresB.length === 1)
    return [[scoresA[0]!, scoresB[0]!] as [string, string]];
  throw new InvalidConfigError([
    {
      path: '--pair',
      message: `the runs share no score name; pair them with --pair A=B (run A: ${scoresA.join(', ')}; run B: ${scoresB.join(', ')})`,
    },
  ]);
}

function percent(value: number): string {
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
}

/**
 * Compares two runs over the same data, per score: accuracy and macro-F1 deltas with paired
 * bootstrap intervals, and McNemar's exact test on the items both scored.
 */
export async function compareRuns(options: CompareOptions): Promise<RunComparison> {
  const alpha = options.alpha ?? 0.05;
  const runA = await labelledResults(options.runA);
  const scoresB = new Set<string>();
  for await (const line of resultLines(options.runB)) scoresB.add(line.score);
  const pairs = choosePairs([...runA.keys()], [...scoresB], options.pairs);
  // One table of (gold, value in A, value in B) counts per pair.
  const triples = pairs.map(() => new Map<string, number>());
  const pairsOfB = new Map<string, number[]>();
  for (const [index, [, b]] of pairs.entries())
    pairsOfB.set(b, [...(pairsOfB.get(b) ?? []), index]);
  for await (const line of resultLines(options.runB)) {
    if (line.status !== 'ok' || line.value === null || line.label === null) continue;
    for (const index of pairsOfB.get(line.score) ?? []) {
      const fromA = runA.get(pairs[index]![0])?.get(line.item_id);
      if (!fromA) continue;
      const key = `${fromA.gold}\u0000${fromA.value}\u0000${normalizeLabel(line.value)}`;
      const counts = triples[index]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const scores = pairs.map(([scoreA, scoreB], index) =>
    compareScore(scoreA, scoreB, triples[index]!, alpha, options.seed ?? 0),
  );
  return { run_a: options.runA, run_b: options.runB, alpha, scores };
}

function compareScore(
  scoreA: string,
  scoreB: string,
  counts: Map<string, number>,
  alpha: number,
  seed: number,
): ScoreComparison {
  const cells = [...counts].map(([key, count]) => {
    const [gold, a, b] = key.split('\u0000') as [string, string, string];
    return { cell: { gold, a, b }, count };
  });
  const labels = [...new Set(cells.flatMap(({ cell }) => [cell.gold, cell.a, cell.b]))].sort();
  const index = new Map(labels.map((label, position) => [label, position]));
  const statistics = (weights: readonly number[]) => {
    const matrixA = labels.map(() => labels.map(() => 0));
    const matrixB = labels.map(() => labels.map(() => 0));
    weights.forEach((weight, position) => {
      const { gold, a, b } = cells[position]!.cell;
      matrixA[index.get(gold)!]![index.get(a)!]! += weight;
      matrixB[index.get(gold)!]![index.get(b)!]! += weight;
    });
    const metricsA = presentMatrixMetrics(labels, matrixA);
    const metricsB = presentMatrixMetrics(labels, matrixB);
    return [metricsA.accuracy, metricsB.accuracy, metricsA.f1.macro, metricsB.f1.macro];
  };
  const n = cells.reduce((sum, entry) => sum + entry.count, 0);
  const [accuracyA, accuracyB, f1A, f1B] =
    n > 0 ? statistics(cells.map((entry) => entry.count)) : [0, 0, 0, 0];
  const intervals = bootstrapIntervals(
    cells,
    (weights) => {
      const [a, b, fa, fb] = statistics(weights);
      return [b! - a!, fb! - fa!];
    },
    seed,
  ) ?? [
    [0, 0],
    [0, 0],
  ];
  let onlyA = 0;
  let onlyB = 0;
  for (const { cell, count } of cells) {
    if (cell.a === cell.gold && cell.b !== cell.gold) onlyA += count;
    if (cell.b === cell.gold && cell.a !== cell.gold) onlyB += count;
  }
  const p = mcnemarExact(onlyA, onlyB);
  const significant = p < alpha;
  const delta = accuracyB! - accuracyA!;
  const [low, high] = intervals[0]!;
  const better = delta > 0 ? `${scoreB} (run B)` : `${scoreA} (run A)`;
  const verdict =
    n === 0
      ? 'no items in common with gold labels: nothing to compare'
      : significant
        ? `significant: ${better} is more accurate by ${Math.abs(delta * 100).toFixed(1)} points (95% CI ${percent(low)} to ${percent(high)}; McNemar p = ${p.toPrecision(2)})`
        : `not significant: accuracy differs by ${percent(delta)} points (95% CI ${percent(low)} to ${percent(high)}; McNemar p = ${p.toPrecision(2)})`;
  return {
    score_a: scoreA,
    score_b: scoreB,
    n,
    accuracy_a: accuracyA!,
    accuracy_b: accuracyB!,
    accuracy_delta: delta,
    accuracy_delta_ci95: intervals[0]!,
    f1_macro_a: f1A!,
    f1_macro_b: f1B!,
    f1_macro_delta: f1B! - f1A!,
    f1_macro_delta_ci95: intervals[1]!,
    only_a_correct: onlyA,
    only_b_correct: onlyB,
    mcnemar_p: p,
    significant,
    verdict,
  };
}
