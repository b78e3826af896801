import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorMessage,
  type LabelNormalization,
  costText as recordedCostText,
  type ScoreMetrics,
} from '@plexus/core';
import { parse } from 'yaml';

/** How a run's scores compare labels, as its scorecard copy says (`normalize_labels`). */
export interface RunScoring {
  /** Per score of the scorecard: its name and `normalize_labels` (undefined: the default). */
  scores: { name: string; normalization: LabelNormalization | undefined }[];
  /** Why the scores' `normalize_labels` are not known (no readable scorecard copy); else null. */
  problem: string | null;
}

function normalizationOf(value: unknown): LabelNormalization | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { case: caseSensitive, na } = value as { case?: unknown; na?: unknown };
  return {
    ...(typeof caseSensitive === 'boolean' ? { case: caseSensitive } : {}),
    ...(typeof na === 'boolean' ? { na } : {}),
  };
}

/**
 * The scores' label normalisation from the scorecard the run folder keeps (`scorecard.yaml` or
 * `scorecard.json`, as run): the viewer's live metrics compare labels as the run did.
 */
export function runScoring(dir: string): RunScoring {
  let text: string | undefined;
  let file = '';
  for (const name of ['scorecard.yaml', 'scorecard.json']) {
    try {
      text = readFileSync(join(dir, name), 'utf8');
      file = name;
      break;
    } catch {
      // the other name, or neither
    }
  }
  if (text === undefined)
    return { scores: [], problem: 'the run folder keeps no scorecard.yaml or scorecard.json' };
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return { scores: [], problem: `${file} cannot be parsed (${errorMessage(error)})` };
  }
  const entries = (raw as { scores?: unknown } | null)?.scores;
  if (!Array.isArray(entries)) return { scores: [], problem: `${file} has no scores list` };
  const scores = entries.flatMap((entry: unknown) => {
    const { name, normalize_labels: normalize } = (entry ?? {}) as Record<string, unknown>;
    return typeof name === 'string' ? [{ name, normalization: normalizationOf(normalize) }] : [];
  });
  return { scores, problem: null };
}

/**
 * A score's cost for a page (core's `costText`): dollars when known, else unknown and why.
 * `olderRun`: the run folder's metrics.json is of the format that counted unpriced calls as $0
 * (live metrics cannot tell by themselves).
 */
export function costText(score: ScoreMetrics, olderRun = false): string {
  const recorded = {
    usd: score.cost_usd,
    unpricedModels: score.unpriced_models,
    llmCalls: score.llm_calls,
  };
  return recordedCostText(recorded, olderRun);
}
