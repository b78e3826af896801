import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  errorMessage,
  InvalidConfigError,
  type LoadedScore,
  type LoadedScorecard,
  PlexusError,
  parseScorecard,
} from '@plexus/core';
import { type Changelog, holdoutReuseText, writeChangelog } from './changelog.js';
import { candidateSchema } from './local-optimizer.js';
import type { OptimizeTracker } from './mlflow-tracking.js';
import type { OptimizerEndpoint } from './optimizer-client.js';
import { type RoundSettings, runRound } from './round.js';
import { Spending } from './spending.js';
import { type SplitName, type SplitRecord, writeSplits } from './split.js';

export interface OptimizeOptions {
  file: string;
  score: string;
  data?: string;
  outDir: string;
  rounds: number;
  candidates: number;
  alpha: number;
  maxCostIncrease: number;
  maxUsd?: number;
  seed: number;
  fractions: Record<SplitName, number>;
  endpoint: OptimizerEndpoint;
  cacheDir?: string;
  resume: boolean;
  /** MLflow (`--tracker mlflow`): started once the output folder is checked; told each round and the end. */
  startTracker?: () => Promise<OptimizeTracker | undefined>;
  log: (line: string) => void;
}

const optimizable = ['llm/classifier', 'llm/graph'];

async function load(source: string, file: string, score: string): Promise<LoadedScorecard> {
  return parseScorecard(source, {
    file,
    searchFrom: [dirname(fileURLToPath(import.meta.url))],
    scores: [score],
  });
}

function checkScore(scorecard: LoadedScorecard, score: string) {
  const found = scorecard.scores.find((entry) => entry.name === score);
  if (!found)
    throw new InvalidConfigError([
      { path: '--score', message: `no score "${score}" in the scorecard` },
    ]);
  if (!optimizable.includes(found.className))
    throw new InvalidConfigError([
      {
        path: '--score',
        message: `"${score}" is ${found.className}; plexus optimize changes ${optimizable.join(' and ')} scores only`,
      },
    ]);
  return found;
}

/** What an edit may name: an llm/classifier score itself, or an llm/graph's nodes that have a prompt. */
function editableNodes(score: LoadedScore): string[] {
  const nodes = (score.settings as { nodes?: unknown } | undefined)?.nodes;
  const prompted = Array.isArray(nodes)
    ? nodes.filter(
        (node): node is { name: string } =>
          typeof node === 'object' &&
          node !== null &&
          typeof (node as { name?: unknown }).name === 'string' &&
          typeof (node as { prompt?: unknown }).prompt === 'string',
      )
    : [];
  return prompted.length > 0 ? prompted.map((node) => node.name) : [score.name];
}

/**
 * A resume tests at the run's `--alpha` and `--max-cost-increase`: with others, its changelog would
 * say one level and accept at another.
 */
function checkSameTest(log: Changelog, options: OptimizeOptions) {
  const problems: { path: string; message: string }[] = [];
  const flags = [
    ['--alpha', log.alpha, options.alpha],
    ['--max-cost-increase', log.max_cost_increase, options.maxCostIncrease],
  ] as const;
  for (const [flag, kept, asked] of flags)
    if (kept !== asked)
      problems.push({
        path: flag,
        message: `the run in ${options.outDir} tests with ${flag} ${kept}, not ${asked}; pass ${flag} ${kept} to resume it, or another --out for a new run`,
      });
  if (problems.length > 0) throw new InvalidConfigError(problems);
}

/** The changelog of the run being resumed; one that cannot be read says how to go on. */
async function readChangelog(path: string): Promise<Changelog> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Changelog;
  } catch (error) {
    throw new InvalidConfigError([
      {
        path: '--resume',
        message: `${path} cannot be read (${errorMessage(error)}; cut short?): remove it and --resume again: its rounds are done again from the caches, at no cost`,
      },
    ]);
  }
}

async function startingPoint(options: OptimizeOptions, file: string) {
  const logPath = join(options.outDir, 'changelog.json');
  if (existsSync(logPath) && !options.resume)
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${options.outDir} holds an optimize run; pass --resume to continue it, or another --out`,
      },
    ]);
  if (!existsSync(logPath) && existsSync(join(options.outDir, 'split.json')) && !options.resume)
    throw new InvalidConfigError([
      {
        path: '--out',
        message: `${options.outDir} holds the split of an optimize run; pass --resume to continue it, or another --out`,
      },
    ]);
  const log = existsSync(logPath) ? await readChangelog(logPath) : undefined;
  if (log) checkSameTest(log, options);
  const lastVersion = [...(log?.rounds ?? [])].reverse().find((entry) => entry.version)?.version;
  const source = await readFile(lastVersion ? join(options.outDir, lastVersion) : file, 'utf8');
  return { log, source };
}

/** What the split left out: rows that could not be read (with their lines), items without gold. */
function logSplit(
  split: SplitRecord,
  where: { data: string; score: string },
  log: (line: string) => void,
) {
  const { data, score } = where;
  const notRead = split.rows_not_read ?? [];
  if (notRead.length > 0)
    log(
      `${notRead.length} rows of ${data} could not be read and are left out of the split (listed in split.json's rows_not_read): ${notRead
        .slice(0, 3)
        .map((problem) => `line ${problem.line}: ${problem.message}`)
        .join('; ')}${notRead.length > 3 ? '; ...' : ''}`,
    );
  if (split.without_gold > 0)
    log(`${split.without_gold} items without a gold label for "${score}" left out of the split`);
}

/** What every round reads: the splits, the flags, the optimizer and the budget's hooks. */
function roundSettings(
  options: OptimizeOptions,
  run: { file: string; score: LoadedScore; budget: Spending },
): RoundSettings {
  const { file, score, budget } = run;
  return {
    file,
    score: options.score,
    splits: {
      train: join(options.outDir, 'train.jsonl'),
      validation: join(options.outDir, 'validation.jsonl'),
      holdout: join(options.outDir, 'holdout.jsonl'),
    },
    outDir: options.outDir,
    candidates: options.candidates,
    alpha: options.alpha,
    maxCostIncrease: options.maxCostIncrease,
    endpoint: options.endpoint,
    answerSchema:
      options.endpoint.provider === 'llama-cpp'
        ? candidateSchema({
            nodes: editableNodes(score),
            labels: score.labels,
            candidates: options.candidates,
          })
        : undefined,
    cacheDir: options.cacheDir,
    beginEvaluation: budget.beginEvaluation,
    spendEvaluation: budget.spendEvaluation,
    spendOptimizer: budget.spendOptimizer,
    checkBudget: budget.checkBudget,
    reserve: budget.reserve,
    remainingUsd: budget.remaining,
    log: options.log,
  };
}

/** `plexus optimize`: rounds of edits, each kept only when significantly better on the holdout. */
export async function optimize(options: OptimizeOptions): Promise<Changelog> {
  const file = resolve(options.file);
  const original = await load(await readFile(file, 'utf8'), file, options.score);
  const score = checkScore(original, options.score);
  const data =
    options.data ??
    (original.data?.path ? resolve(original.baseDir, original.data.path) : undefined);
  if (!data)
    throw new InvalidConfigError([
      { path: '--data', message: 'no labelled data: pass --data FILE or set data.path' },
    ]);
  await mkdir(options.outDir, { recursive: true });
  const start = await startingPoint(options, file);
  const split = await writeSplits({
    dataPath: data,
    score: options.score,
    goldColumn: score.labelColumn ?? options.score,
    columns: {
      id: original.data?.id_column,
      text: original.data?.text_column,
      format: original.data?.format,
    },
    seed: options.seed,
    fractions: options.fractions,
    outDir: options.outDir,
  });
  logSplit(split, { data, score: options.score }, options.log);
  const budget = new Spending(options.outDir, options.maxUsd);
  if (options.endpoint.provider === 'llama-cpp')
    options.log(`optimizer: llama-cpp ${basename(options.endpoint.model)} (local, CPU; cost 0)`);
  const tracker = await options.startTracker?.();
  if (start.log) await tracker?.catchUp(start.log.rounds);
  const log: Changelog = start.log ?? {
    scorecard: options.file,
    score: options.score,
    alpha: options.alpha,
    max_cost_increase: options.maxCostIncrease,
    spent_usd: 0,
    rounds: [],
    stopped: null,
  };
  // Written before round 1: a run killed in it keeps its settings and is resumed, not redone.
  if (!start.log) await writeChangelog(options.outDir, log);
  const settings = roundSettings(options, { file, score, budget });
  try {
    await rounds(options, settings, log, { source: start.source, file, budget, tracker });
  } catch (error) {
    await tracker?.finish('FAILED');
    throw error;
  }
  await tracker?.finish('FINISHED');
  const reuse = holdoutReuseText(log);
  if (reuse) options.log(reuse);
  return log;
}

async function rounds(
  options: OptimizeOptions,
  settings: RoundSettings,
  log: Changelog,
  state: {
    source: string;
    file: string;
    budget: Spending;
    tracker: OptimizeTracker | undefined;
  },
) {
  let current = {
    source: state.source,
    scorecard: await load(state.source, state.file, options.score),
  };
  const last = log.rounds.at(-1);
  if (last && last.outcome !== 'accepted') {
    options.log(`the run had stopped at round ${last.round}: ${last.outcome}`);
    return;
  }
  const stem = basename(options.file).replace(/\.ya?ml$/, '');
  for (let round = log.rounds.length + 1; round <= options.rounds; round += 1) {
    const entry = await runRound(settings, round, current).catch(async (error: unknown) => {
      if (error instanceof PlexusError && error.message.startsWith('--max-usd')) {
        log.stopped = `round ${round}: ${error.message}`;
        log.spent_usd = state.budget.spent();
        await writeChangelog(options.outDir, log);
      }
      throw error;
    });
    const { accepted, ...record } = entry;
    if (accepted) {
      record.version = `${stem}.v${log.rounds.filter((item) => item.version).length + 2}.yaml`;
      await writeFile(join(options.outDir, record.version), accepted.source);
      current = accepted;
    }
    record.spent_usd = state.budget.spent();
    log.rounds.push(record);
    // What ended the run now (a --max-usd stop of an earlier attempt stayed after a resume went on).
    log.stopped = accepted ? null : `round ${round}: ${record.outcome}`;
    log.spent_usd = state.budget.spent();
    await writeChangelog(options.outDir, log);
    await state.tracker?.round(record, log.spent_usd);
    options.log(
      `round ${round}: ${record.outcome}: ${record.why}${record.version ? ` → ${record.version}` : ''}`,
    );
    if (!accepted) return;
  }
  // The rounds the run has (a resume with a lower --rounds said "1 rounds done" beside 2 rounds).
  log.stopped = `${log.rounds.length} rounds done`;
  await writeChangelog(options.outDir, log);
}
