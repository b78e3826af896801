import type { ConfigProblem } from '../common/errors.js';
import { hashValue } from '../common/hash.js';
import type { ScoreOutputV1, ScoreUsageV1, ScoreV1 } from '../spec/score-spec.js';
import type { LoadedScore } from './loaded-scorecard.js';
import type { SourcePositions } from './source-positions.js';
import { wrappedScore } from './wrapped-score.js';

/** What a self-consistent answer keeps in its trace: every sample's label (null: no answer). */
export interface SelfConsistencyTrace {
  samples: (string | null)[];
}

function sumUsage(outputs: readonly ScoreOutputV1[]): ScoreUsageV1 | undefined {
  const usages = outputs.map((output) => output.usage).filter((usage) => usage !== undefined);
  if (usages.length === 0) return undefined;
  const total = (key: 'inputTokens' | 'outputTokens' | 'cachedTokens' | 'calls' | 'retries') =>
    usages.reduce((sum, usage) => sum + (usage[key] ?? 0), 0);
  const unpriced = usages.find((usage) => usage.costUsd === null);
  const priced = usages.some((usage) => usage.costUsd !== undefined);
  return {
    inputTokens: total('inputTokens'),
    outputTokens: total('outputTokens'),
    cachedTokens: total('cachedTokens'),
    calls: total('calls'),
    retries: total('retries'),
    ...(usages.some((usage) => usage.tokensUnknown) ? { tokensUnknown: true } : {}),
    ...(unpriced
      ? { costUsd: null, unpricedModel: unpriced.unpricedModel }
      : priced
        ? { costUsd: usages.reduce((sum, usage) => sum + (usage.costUsd ?? 0), 0) }
        : {}),
  };
}

/**
 * One answer from N samples of the same item: the label most samples gave (a tie goes to the one
 * given first), its confidence the share of answered samples that gave it; usage summed; every
 * sample's label in `trace.self_consistency.samples`. All samples failed: the first failure.
 */
export function combineSamples(outputs: readonly ScoreOutputV1[]): ScoreOutputV1 {
  const answered = outputs.filter((output) => output.status === 'ok' && output.value !== null);
  const usage = sumUsage(outputs);
  const withUsage = (output: ScoreOutputV1) => (usage ? { ...output, usage } : output);
  if (answered.length === 0) return withUsage(outputs[0]!);
  const counts = new Map<string, number>();
  for (const output of answered) counts.set(output.value!, (counts.get(output.value!) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const chosen = answered.find((output) => counts.get(output.value!) === top)!;
  const own = chosen.trace && typeof chosen.trace === 'object' ? chosen.trace : {};
  const trace = {
    ...own,
    self_consistency: {
      samples: outputs.map((output) => (output.status === 'ok' ? output.value : null)),
    },
  };
  const { probabilities: _probabilities, ...rest } = chosen;
  return withUsage({ ...rest, confidence: top / answered.length, trace });
}

/** The score asked `samples` times per item (its settings need a temperature above 0). */
export function sampledScore(score: ScoreV1, samples: number): ScoreV1 {
  const fingerprint = hashValue({ score: score.fingerprint, samples });
  // Every sample must be a fresh call: the result cache stores the combined answer only.
  const doScore: ScoreV1['doScore'] = async (options) => {
    const { onOutput: _onOutput, ...single } = options;
    const runs = await Promise.all(Array.from({ length: samples }, () => score.doScore(single)));
    return options.items.map((_, index) => combineSamples(runs.map((run) => run[index]!)));
  };
  return wrappedScore(score, fingerprint, doScore);
}

/** Positions (in the file's `scores`) of the scores with `samples:`: created without a response cache. */
export function sampledIndexes(raw: unknown): Set<number> {
  const files = (raw as { scores?: unknown })?.scores;
  const indexes = new Set<number>();
  if (!Array.isArray(files)) return indexes;
  files.forEach((score, index) => {
    if (typeof (score as { samples?: unknown } | null)?.samples === 'number') indexes.add(index);
  });
  return indexes;
}

/**
 * Wraps each created score whose entry says `samples: N` (N ≥ 2) so it asks N times; a score whose
 * settings have `temperature: 0` is a problem (N identical answers tell nothing).
 */
export function applySampling(
  scores: readonly (LoadedScore & { index: number })[],
  raw: unknown,
  positions: SourcePositions,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const files = (raw as { scores?: unknown })?.scores;
  if (!Array.isArray(files)) return problems;
  for (const entry of scores) {
    const samples = (files[entry.index] as { samples?: unknown } | undefined)?.samples;
    if (typeof samples !== 'number') continue;
    const temperature = (entry.settings as { temperature?: unknown } | undefined)?.temperature;
    if (temperature === 0) {
      problems.push(
        positions.problem(
          ['scores', entry.index, 'samples'],
          'samples: N asks the model N times: set temperature above 0 (e.g. 0.7), or the answers are all the same',
        ),
      );
      continue;
    }
    if (entry.score) entry.score = sampledScore(entry.score, samples);
  }
  return problems;
}
