import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { readResultLines } from '../run/result-file.js';
import type { ResultLine } from '../run/result-line.js';
import type { RunStatus } from '../run/run-folder.js';
import { GoldCheck, type GoldDifference } from './compare-gold.js';
import {
  type CompareErrors,
  compareScore,
  type DueResult,
  dueResult,
  type ScoreComparison,
} from './compare-score.js';

export type { CompareErrors, ScoreComparison } from './compare-score.js';

export interface RunComparison {
  run_a: string;
  run_b: string;
  alpha: number;
  errors: CompareErrors;
  scores: ScoreComparison[];
  /** Each run's status (a run left `running` by a dead process reads as `interrupted`). */
  status_a: RunStatus | null;
  status_b: RunStatus | null;
  /** Pairs whose gold differs on compared items (only with `allowDifferentGold`). */
  gold_differences: GoldDifference[];
}

export interface CompareOptions {
  runA: string;
  runB: string;
  /** [score of run A, score of run B] pairs; default: scores with the same name (or the only score of each). */
  pairs?: readonly (readonly [string, string])[];
  /** Significance level; default 0.05. */
  alpha?: number;
  /** `wrong` (default): an error counts as a wrong answer; `exclude`: items either run failed are left out. */
  errors?: CompareErrors;
  seed?: number;
  /** Compare even when the runs' gold labels differ on compared items (else bad input). */
  allowDifferentGold?: boolean;
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

/** Every item of run A due an answer and with a gold label, per score. */
async function dueResults(dir: string): Promise<Map<string, Map<string, DueResult>>> {
  const byScore = new Map<string, Map<string, DueResult>>();
  for await (const line of resultLines(dir)) {
    if (!byScore.has(line.score)) byScore.set(line.score, new Map());
    const due = dueResult(line);
    if (due) byScore.get(line.score)!.set(line.item_id, due);
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

/**
 * Compares two runs over the same data, per score: accuracy and macro-F1 deltas with paired
 * bootstrap intervals, and McNemar's exact test, on the items with a gold label that both runs
 * were due to answer. An error counts as a wrong answer unless `errors: 'exclude'`, so a score
 * cannot win by failing on the hard items.
 */
export async function compareRuns(options: CompareOptions): Promise<RunComparison> {
  const alpha = options.alpha ?? 0.05;
  const errors = options.errors ?? 'wrong';
  const runA = await dueResults(options.runA);
  const scoresB = new Set<string>();
  for await (const line of resultLines(options.runB)) scoresB.add(line.score);
  const pairs = choosePairs([...runA.keys()], [...scoresB], options.pairs);
  // One table of (gold, value in A, value in B) counts per pair.
  const triples = pairs.map(() => new Map<string, number>());
  const pairsOfB = new Map<string, number[]>();
  for (const [index, [, b]] of pairs.entries())
    pairsOfB.set(b, [...(pairsOfB.get(b) ?? []), index]);
  const gold = await GoldCheck.open(options.runA, options.runB, pairs);
  for await (const line of resultLines(options.runB)) {
    for (const index of pairsOfB.get(line.score) ?? []) {
      const fromA = runA.get(pairs[index]![0])?.get(line.item_id);
      if (!fromA) continue;
      const fromB = dueResult(line, fromA.gold);
      if (!fromB) continue;
      gold.check(index, line.item_id, fromA.gold, line.label);
      const key = `${fromA.gold}\u0000${fromA.predicted}\u0000${fromB.predicted}`;
      const counts = triples[index]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const scores = pairs.map(([scoreA, scoreB], index) =>
    compareScore({
      scoreA,
      scoreB,
      counts: triples[index]!,
      alpha,
      errors,
      seed: options.seed ?? 0,
    }),
  );
  const goldDifferences = gold.finish(options.allowDifferentGold ?? false);
  return {
    run_a: options.runA,
    run_b: options.runB,
    alpha,
    errors,
    scores,
    status_a: gold.statuses.a,
    status_b: gold.statuses.b,
    gold_differences: goldDifferences,
  };
}
