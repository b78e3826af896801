import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareRuns,
  type LoadedScorecard,
  PlexusError,
  parseScorecard,
  pValueText,
  shareText,
} from '@plexus/core';
import type { Candidate, CandidateEdit } from './candidates.js';
import { costRiseText } from './figures.js';
import { allFailedProblem, failedText, type Measurement, measure } from './measure.js';
import type { OptimizerEndpoint } from './optimizer-client.js';
import { proposals } from './proposals.js';

export interface RoundSettings {
  file: string;
  score: string;
  splits: { train: string; validation: string; holdout: string };
  outDir: string;
  candidates: number;
  alpha: number;
  /** Largest rise of cost per item accepted, as a share (0.2: 20% more). */
  maxCostIncrease: number;
  endpoint: OptimizerEndpoint;
  /** The JSON schema a local optimizer's answer is held to (see `candidateSchema`). */
  answerSchema?: object;
  cacheDir?: string;
  /** Counts what a killed evaluation left in its folder, before the folder is evaluated again. */
  beginEvaluation: (dir: string) => void;
  /** Adds an evaluation's dollars, marking its folder counted. */
  spendEvaluation: (dir: string, usd: number | null) => void;
  /** Adds an optimizer answer's dollars, once per answer (a cached one a kill left uncounted too). */
  spendOptimizer: (answer: { key: string; usd: number | null; cached: boolean }) => void;
  /** Throws when the budget is gone (checked before each paid step). */
  checkBudget: () => void;
  /** Throws when a call that may cost `usd` (null: unknown) does not fit in what is left. */
  reserve: (usd: number | null, what: string) => void;
  /** Dollars left of `--max-usd`; undefined without a budget. */
  remainingUsd: () => number | undefined;
  log: (line: string) => void;
}

/** What a round decided (the changelog entry of `changelog.json`). */
export interface RoundEntry {
  round: number;
  outcome: 'accepted' | 'no significant improvement' | 'no valid candidate';
  edit: CandidateEdit | null;
  reason: string | null;
  version: string | null;
  metrics: {
    train: { current: number; candidate: number | null };
    validation: { current: number; candidate: number | null };
    holdout: { current: number | null; candidate: number | null; items: number | null };
  };
  p_value: number | null;
  cost_per_item: { current: number | null; candidate: number | null };
  generalisation_gap: number | null;
  dropped: { node: string | null; reason: string }[];
  /** Every candidate: its edit's node and reason, validation accuracy, or why it was dropped. */
  candidates: CandidateRecord[];
  why: string;
  /** Dollars the run had spent when the round ended (absent in a changelog of an earlier Plexus). */
  spent_usd?: number | null;
}

async function measured(
  settings: RoundSettings,
  scorecard: LoadedScorecard,
  split: keyof RoundSettings['splits'],
  dir: string,
) {
  settings.beginEvaluation(dir);
  settings.checkBudget();
  const remaining = settings.remainingUsd();
  // Within the run's budget, each evaluation reserves every call's worst case before sending it.
  const budgeted =
    remaining === undefined
      ? scorecard
      : await parseScorecard(scorecard.source, {
          file: settings.file,
          searchFrom: [dirname(fileURLToPath(import.meta.url))],
          scores: [settings.score],
          runBudget: { maxUsd: remaining },
        });
  return measure({
    scorecard: budgeted,
    score: settings.score,
    data: settings.splits[split],
    dir,
    cacheDir: settings.cacheDir,
  }).then((result) => {
    settings.spendEvaluation(dir, result.spentUsd);
    if (result.budgetExhausted)
      throw new PlexusError(
        `--max-usd: the budget ran out while evaluating ${dir}; --resume with a higher --max-usd continues`,
      );
    return result;
  });
}

function costAllows(
  settings: RoundSettings,
  current: number | null,
  candidate: number | null,
): boolean {
  if (current === null || candidate === null) return true;
  return candidate <= current * (1 + settings.maxCostIncrease) + 1e-12;
}

export interface CandidateRecord {
  node: string | null;
  reason: string | null;
  validation_accuracy: number | null;
  dropped: string | null;
}

/** Each valid candidate evaluated on validation; the best one that beats the current version. */
async function tryCandidates(
  settings: RoundSettings,
  state: {
    dir: string;
    candidates: Candidate[];
    problem: string | undefined;
    validation: Measurement;
  },
) {
  const { validation } = state;
  const dropped: RoundEntry['dropped'] = state.problem
    ? [{ node: null, reason: state.problem }]
    : [];
  const tried: CandidateRecord[] = [];
  let best: { index: number; measurement: Measurement } | undefined;
  for (const [index, candidate] of state.candidates.entries()) {
    const record: CandidateRecord = {
      node: candidate.edit.node ?? null,
      reason: candidate.edit.reason ?? null,
      validation_accuracy: null,
      dropped: candidate.dropped ?? null,
    };
    tried.push(record);
    if (candidate.dropped !== undefined) {
      dropped.push({ node: record.node, reason: candidate.dropped });
      continue;
    }
    const result = await measured(
      settings,
      candidate.scorecard,
      'validation',
      join(state.dir, `candidate-${index + 1}-validation`),
    );
    record.validation_accuracy = result.accuracy;
    if (result.accuracy <= validation.accuracy) {
      // Why it failed, when it did (a template that fails on every item read as a 0.000 prompt).
      record.dropped = `validation accuracy ${result.accuracy.toFixed(3)}${failedText(result, true)}, not above the current ${validation.accuracy.toFixed(3)}`;
      dropped.push({ node: record.node, reason: record.dropped });
    } else if (!best || result.accuracy > best.measurement.accuracy)
      best = { index, measurement: result };
  }
  return { dropped, tried, best };
}

/** One round: errors on train → K edits → the best on validation → McNemar on holdout. */
export async function runRound(
  settings: RoundSettings,
  round: number,
  current: { source: string; scorecard: LoadedScorecard },
): Promise<RoundEntry & { accepted?: { source: string; scorecard: LoadedScorecard } }> {
  const dir = join(settings.outDir, `round-${round}`);
  const train = await measured(settings, current.scorecard, 'train', join(dir, 'current-train'));
  // Before validation is scored and the optimizer paid: a score that fails everywhere stops here.
  const allFailed = allFailedProblem(settings.score, train);
  if (allFailed) throw new PlexusError(allFailed);
  const validation = await measured(
    settings,
    current.scorecard,
    'validation',
    join(dir, 'current-validation'),
  );
  settings.log(
    `round ${round}: current train ${train.accuracy.toFixed(3)}${failedText(train)}, validation ${validation.accuracy.toFixed(3)}${failedText(validation)}`,
  );
  const { candidates, problem } = await proposals(settings, current.source, train);
  const tried = await tryCandidates(settings, { dir, candidates, problem, validation });
  const { dropped, best } = tried;
  const entry: RoundEntry = {
    round,
    outcome: 'no valid candidate',
    edit: null,
    reason: null,
    version: null,
    metrics: {
      train: { current: train.accuracy, candidate: null },
      validation: { current: validation.accuracy, candidate: best?.measurement.accuracy ?? null },
      holdout: { current: null, candidate: null, items: null },
    },
    p_value: null,
    cost_per_item: { current: null, candidate: null },
    generalisation_gap: null,
    dropped,
    candidates: tried.tried,
    // An empty list is said as such (it read as if candidates had been tried and lost).
    why:
      candidates.length === 0 && problem === undefined
        ? 'the optimizer proposed no candidate'
        : 'no candidate validated and beat the current version on validation',
  };
  if (!best) return entry;
  const chosen = candidates[best.index]!;
  if (chosen.dropped !== undefined) return entry;
  return decide(settings, { dir, entry, current, chosen, index: best.index });
}

/** `; --max-cost-increase not checked: ...` when a version's cost per item is not known. */
function uncheckedCost(current: Measurement, candidate: Measurement): string {
  const unknown = current.costUnknownItems + candidate.costUnknownItems;
  if (current.costPerItem !== null && candidate.costPerItem !== null) return '';
  return `; --max-cost-increase not checked: the cost of ${unknown} of the ${current.items + candidate.items} holdout answers is not known (an unknown price, or answers from a result cache no optimize run filled)`;
}

async function decide(
  settings: RoundSettings,
  state: {
    dir: string;
    entry: RoundEntry;
    current: { source: string; scorecard: LoadedScorecard };
    chosen: { edit: CandidateEdit; source: string; scorecard: LoadedScorecard };
    index: number;
  },
) {
  const { dir, entry, current, chosen } = state;
  const name = `candidate-${state.index + 1}`;
  const candidateTrain = await measured(
    settings,
    chosen.scorecard,
    'train',
    join(dir, `${name}-train`),
  );
  const holdoutA = await measured(
    settings,
    current.scorecard,
    'holdout',
    join(dir, 'current-holdout'),
  );
  const holdoutB = await measured(
    settings,
    chosen.scorecard,
    'holdout',
    join(dir, `${name}-holdout`),
  );
  const comparison = await compareRuns({
    runA: holdoutA.dir,
    runB: holdoutB.dir,
    pairs: [[settings.score, settings.score]],
    alpha: settings.alpha,
  });
  const score = comparison.scores[0]!;
  entry.edit = chosen.edit;
  entry.reason = chosen.edit.reason;
  entry.metrics.train.candidate = candidateTrain.accuracy;
  entry.metrics.holdout = {
    current: score.accuracy_a,
    candidate: score.accuracy_b,
    items: score.n,
  };
  entry.p_value = score.mcnemar_p;
  entry.cost_per_item = { current: holdoutA.costPerItem, candidate: holdoutB.costPerItem };
  if (score.no_metrics_reason !== null) {
    // No holdout item to compare: no accuracy or p (null in the log), and why.
    entry.outcome = 'no significant improvement';
    entry.why = `holdout: ${score.no_metrics_reason}`;
    return entry;
  }
  const significant = score.mcnemar_p < settings.alpha && score.accuracy_b > score.accuracy_a;
  const cheapEnough = costAllows(settings, holdoutA.costPerItem, holdoutB.costPerItem);
  if (significant && cheapEnough) {
    entry.outcome = 'accepted';
    entry.generalisation_gap = candidateTrain.accuracy - score.accuracy_b;
    entry.why = `holdout accuracy ${shareText(score.accuracy_a)} → ${shareText(score.accuracy_b)}, McNemar p = ${pValueText(score.mcnemar_p, settings.alpha, 3)} < ${settings.alpha}${uncheckedCost(holdoutA, holdoutB)}`;
    return { ...entry, accepted: { source: chosen.source, scorecard: chosen.scorecard } };
  }
  entry.outcome = 'no significant improvement';
  entry.generalisation_gap = entry.metrics.train.current - score.accuracy_a;
  entry.why = !significant
    ? `holdout accuracy ${shareText(score.accuracy_a)} → ${shareText(score.accuracy_b)}, McNemar p = ${pValueText(score.mcnemar_p, settings.alpha, 3)} (alpha ${settings.alpha})`
    : costRiseText(holdoutA.costPerItem, holdoutB.costPerItem, settings.maxCostIncrease);
  return entry;
}
