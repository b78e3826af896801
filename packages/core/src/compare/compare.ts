import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { readResultLines } from '../run/result-file.js';
import type { ResultLine } from '../run/result-line.js';
import type { RunStatus } from '../run/run-folder.js';
import { GoldCheck, type GoldDifference } from './compare-gold.js';
import { runNormalizers } from './compare-normalization.js';
import {
  type CompareErrors,
  compareScore,
  type DueResult,
  dueResult,
  isFailed,
  type ScoreComparison,
  type TrainingSplit,
} from './compare-score.js';

export type {
  CompareErrors,
  MeasuredComparison,
  ScoreComparison,
  UnmeasuredComparison,
} from './compare-score.js';

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
  /**
   * The scores of each run in no compared pair (no score of the same name in the other run, or
   * left out of the `pairs` given): listed, not left out in silence. Empty when all are compared.
   */
  not_compared: { a: string[]; b: string[] };
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
  const normalizer = await runNormalizers(dir);
  // One object per gold, answer and training mark, shared by the items that have them: an object
  // and two label strings per item and score took 814 MiB for a million items.
  const shared = new Map<string, DueResult>();
  for await (const line of resultLines(dir)) {
    if (!byScore.has(line.score)) byScore.set(line.score, new Map());
    const due = dueResult(line, undefined, normalizer(line.score));
    if (!due) continue;
    const key = JSON.stringify([due.gold, due.predicted, due.inTraining === true]);
    if (!shared.has(key)) shared.set(key, due);
    byScore.get(line.score)!.set(line.item_id, shared.get(key)!);
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
  const empty = [
    ...(scoresA.length === 0 ? ['run A'] : []),
    ...(scoresB.length === 0 ? ['run B'] : []),
  ];
  // A run without a result line has no score to pair: said as such, not as names not shared.
  if (empty.length > 0)
    throw new InvalidConfigError([
      {
        path: empty.length === 2 ? 'runs' : empty[0]!,
        message: `${empty.join(' and ')} ${empty.length === 2 ? 'have' : 'has'} no result (results.jsonl holds no line): nothing to compare`,
      },
    ]);
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
 * The (gold, value in A, value in B, gold in B) counts of every pair of scores that may be compared, filled
 * in one pass over run B: the pairs chosen at the end (`choosePairs` needs run B's score names)
 * are among them. A pair is a candidate when given, or when its names match, or, when run A has
 * one score, for each score of run B (the "only score of each run" pairing).
 */
class PairTables {
  private readonly numbers = new Map<string, number>();
  private readonly ofScoreB = new Map<string, number[]>();
  readonly tables: Map<string, number>[] = [];
  /** Per pair: run B's items due an answer with a gold label that run A does not have due. */
  readonly dueOnlyB: number[] = [];
  /** Per pair: the items either model was trained on, and the counts of those neither was. */
  readonly training: TrainingSplit[] = [];
  /** The score of run A of each candidate pair, by number. */
  readonly scoreAOf: string[] = [];
  readonly scoresB = new Set<string>();

  constructor(
    private readonly scoresA: readonly string[],
    private readonly gold: GoldCheck,
    private readonly given: readonly (readonly [string, string])[],
  ) {}

  /** The numbers of the candidate pairs a line of run B's `scoreB` counts in. */
  candidates(scoreB: string): number[] {
    const known = this.ofScoreB.get(scoreB);
    if (known) return known;
    this.scoresB.add(scoreB);
    const scoresA =
      this.given.length > 0
        ? this.given.filter(([, b]) => b === scoreB).map(([a]) => a)
        : this.scoresA.includes(scoreB)
          ? [scoreB]
          : this.scoresA.slice(0, this.scoresA.length === 1 ? 1 : 0);
    const numbers = [...new Set(scoresA)].map((scoreA) => this.add(scoreA, scoreB));
    this.ofScoreB.set(scoreB, numbers);
    return numbers;
  }

  private add(scoreA: string, scoreB: string): number {
    const number = this.tables.length;
    this.tables.push(new Map());
    this.dueOnlyB.push(0);
    this.training.push({ a: 0, b: 0, aBesideError: 0, bBesideError: 0, outside: new Map() });
    this.scoreAOf.push(scoreA);
    this.numbers.set(`${scoreA}\u0000${scoreB}`, number);
    this.gold.addPair(scoreA, scoreB);
    return number;
  }

  /** The number of a chosen pair (a pair of no line of run B has an empty table). */
  numberOf(scoreA: string, scoreB: string): number {
    return this.numbers.get(`${scoreA}\u0000${scoreB}`) ?? this.add(scoreA, scoreB);
  }
}

/** Run B's lines, read once, counted into each candidate pair's table; the gold checked. */
async function countRunB(
  dir: string,
  runA: Map<string, Map<string, DueResult>>,
  tables: PairTables,
  gold: GoldCheck,
): Promise<void> {
  const normalizer = await runNormalizers(dir);
  for await (const line of resultLines(dir)) {
    const normalize = normalizer(line.score);
    for (const number of tables.candidates(line.score)) {
      const fromA = runA.get(tables.scoreAOf[number]!)?.get(line.item_id);
      // Run B against its own gold: the same as A's unless they differ (allowDifferentGold).
      const fromB = dueResult(line, undefined, normalize);
      if (!fromB) continue;
      if (!fromA) {
        tables.dueOnlyB[number]! += 1;
        continue;
      }
      gold.check(number, line.item_id, fromA.gold, line.label, normalize);
      const key = `${fromA.gold}\u0000${fromA.predicted}\u0000${fromB.predicted}\u0000${fromB.gold}`;
      const counts = tables.tables[number]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const training = tables.training[number]!;
      if (fromA.inTraining) training.a += 1;
      if (fromB.inTraining) training.b += 1;
      if (fromA.inTraining && isFailed(fromB)) training.aBesideError += 1;
      if (fromB.inTraining && isFailed(fromA)) training.bBesideError += 1;
      if (!fromA.inTraining && !fromB.inTraining)
        training.outside.set(key, (training.outside.get(key) ?? 0) + 1);
    }
  }
}

/** Items due in run A only (its due items not matched in B) and in run B only, of one pair. */
function dueOnly(
  dueA: ReadonlyMap<string, DueResult> | undefined,
  tables: PairTables,
  number: number,
): { a: number; b: number } {
  let matched = 0;
  for (const count of tables.tables[number]!.values()) matched += count;
  // At least 0: a run B holding an item twice (a hand-merged file) matches it twice.
  return { a: Math.max(0, (dueA?.size ?? 0) - matched), b: tables.dueOnlyB[number]! };
}

/**
 * Compares two runs over the same data, per score: accuracy and macro-F1 deltas with paired
 * bootstrap intervals, and McNemar's exact test, on the items with a gold label that both runs
 * were due to answer. An error counts as a wrong answer unless `errors: 'exclude'`, so a score
 * cannot win by failing on the hard items. Each run's results are read once.
 */
export async function compareRuns(options: CompareOptions): Promise<RunComparison> {
  const alpha = options.alpha ?? 0.05;
  const errors = options.errors ?? 'wrong';
  const runA = await dueResults(options.runA);
  const gold = await GoldCheck.open(options.runA, options.runB);
  const tables = new PairTables([...runA.keys()], gold, options.pairs ?? []);
  await countRunB(options.runB, runA, tables, gold);
  const pairs = choosePairs([...runA.keys()], [...tables.scoresB], options.pairs);
  const numbers = pairs.map(([scoreA, scoreB]) => tables.numberOf(scoreA, scoreB));
  const scores = pairs.map(([scoreA, scoreB], index) =>
    compareScore({
      scoreA,
      scoreB,
      counts: tables.tables[numbers[index]!]!,
      alpha,
      errors,
      seed: options.seed ?? 0,
      training: tables.training[numbers[index]!],
      dueOnly: dueOnly(runA.get(scoreA), tables, numbers[index]!),
    }),
  );
  const goldDifferences = gold.finish(numbers, options.allowDifferentGold ?? false);
  const scoresB = [...tables.scoresB];
  return {
    run_a: options.runA,
    run_b: options.runB,
    alpha,
    errors,
    scores,
    status_a: gold.statuses.a,
    status_b: gold.statuses.b,
    gold_differences: goldDifferences,
    not_compared: {
      a: [...runA.keys()].filter((score) => !pairs.some(([scoreA]) => scoreA === score)),
      b: scoresB.filter((score) => !pairs.some(([, scoreB]) => scoreB === score)),
    },
  };
}
