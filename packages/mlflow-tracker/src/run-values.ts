import {
  type FeedbackAgreementFile,
  type RunInfo,
  type RunMetricsFile,
  sha256,
  staleAgreementReason,
} from '@plexus/core';
import { parse } from 'yaml';

/** MLflow's longest param value (MLflow 2.x and 3.x accept 6,000 characters). */
const maxParamLength = 6000;

/** Metric and param keys allow letters, digits, `_ - . / ` and spaces; anything else becomes `_`. */
export function mlflowKey(key: string): string {
  return key.replace(/[^\w\-. /]/g, '_').slice(0, 250);
}

/**
 * A score or label name as one segment of a key: as written when MLflow allows every character,
 * else with the others replaced and 8 hex digits of the name's hash, so that two names (`a=` and
 * `a^`) never share a key and one score's metric never overwrites another's.
 */
export function mlflowName(name: string): string {
  const safe = mlflowKey(name);
  return safe === name ? name : `${safe}_${sha256(name).slice(0, 8)}`;
}

/** The first segments of the run-level metrics: `run.items`, `run.cost.usd`, `feedback.<score>.*`. */
const runPrefixes = /^(run|feedback)(\.|$)/;

/**
 * A score's name as the first segment of its metric keys: `mlflowName`, except that a name that
 * is, or starts with, a run-level segment (`run`, `run.cost`, `feedback.x`) has its dots made `_`
 * and 8 hex digits of its hash added (`run.cost` -> `run_cost_<hash>`), so that no score's metric
 * is logged over a run total (`run.cost.input_tokens`) or the reviewers' agreement.
 */
export function scoreKey(name: string): string {
  const safe = mlflowName(name);
  if (!runPrefixes.test(safe)) return safe;
  return `${mlflowKey(name).replace(/\./g, '_')}_${sha256(name).slice(0, 8)}`;
}

function param(key: string, value: unknown): { key: string; value: string } {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    key: mlflowKey(key),
    value: text.length > maxParamLength ? `${text.slice(0, maxParamLength - 1)}…` : text,
  };
}

/** Params of an evaluation: scorecard, data, sampling options, and each score's class and model. */
export function runParams(info: RunInfo, scorecardText?: string): { key: string; value: string }[] {
  const params = [
    param('scorecard.name', info.scorecard.name),
    param('scorecard.key', info.scorecard.key),
    param('scorecard.sha256', info.scorecard.hash),
    param('data.path', info.data.path),
  ];
  for (const [key, value] of Object.entries(info.options))
    if (value !== null && value !== undefined) params.push(param(`options.${key}`, value));
  let card:
    | { scores?: { name?: unknown; class?: unknown; model?: unknown; provider?: unknown }[] }
    | undefined;
  try {
    card = scorecardText ? parse(scorecardText) : undefined;
  } catch {
    card = undefined;
  }
  for (const score of card?.scores ?? []) {
    if (typeof score?.name !== 'string') continue;
    if (typeof score.class === 'string')
      params.push(param(`score.${mlflowName(score.name)}.class`, score.class));
    if (typeof score.model === 'string')
      params.push(param(`score.${mlflowName(score.name)}.model`, score.model));
    if (score.provider && typeof score.provider === 'object') {
      const { model, base_url } = score.provider as { model?: unknown; base_url?: unknown };
      if (typeof model === 'string')
        params.push(param(`score.${mlflowName(score.name)}.model`, model));
      if (typeof base_url === 'string')
        params.push(param(`score.${mlflowName(score.name)}.base_url`, base_url));
    }
  }
  const seen = new Set<string>();
  return params.filter((entry) => !seen.has(entry.key) && seen.add(entry.key));
}

function flatten(prefix: string, value: unknown, into: Map<string, number>): void {
  if (typeof value === 'number' && Number.isFinite(value)) into.set(prefix, value);
  else if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((entry) => typeof entry === 'number')
  ) {
    into.set(`${prefix}_low`, value[0] as number);
    into.set(`${prefix}_high`, value[1] as number);
  } else if (value && typeof value === 'object' && !Array.isArray(value))
    for (const [key, entry] of Object.entries(value))
      flatten(`${prefix}.${mlflowName(key)}`, entry, into);
}

/**
 * Every number of `metrics.json` as a metric: `<score>.accuracy`, `<score>.f1.macro` (also as
 * `<score>.f1_macro`), `<score>.accuracy_ci95_low`, per-class values, plus run totals.
 */
export function runMetrics(
  info: RunInfo,
  metrics: RunMetricsFile | undefined,
  timestamp: number,
  agreement?: FeedbackAgreementFile,
): { key: string; value: number; timestamp: number; step: number }[] {
  const values = new Map<string, number>();
  for (const [name, entry] of Object.entries(metrics?.scores ?? {})) {
    const score = scoreKey(name);
    const { confusion_matrix: _matrix, labels: _labels, ...numbers } = entry;
    flatten(score, numbers, values);
    for (const average of ['macro', 'micro', 'weighted'] as const) {
      if (entry.f1) values.set(`${score}.f1_${average}`, entry.f1[average]);
      if (entry.precision) values.set(`${score}.precision_${average}`, entry.precision[average]);
      if (entry.recall) values.set(`${score}.recall_${average}`, entry.recall[average]);
    }
  }
  if (metrics) flatten('run.cost', metrics.cost, values);
  // Counts a run could not take are not logged (an MLflow metric has no "unknown").
  if (!info.counts_unknown) {
    values.set('run.items', info.counts.items);
    values.set('run.results', info.counts.results);
    values.set('run.errors', info.counts.errors);
    values.set('run.skipped', info.counts.skipped);
    values.set('run.malformed_rows', info.counts.malformed_rows);
    values.set('run.cache_hits', info.counts.cache_hits);
  }
  if (info.duration_s !== null) values.set('run.duration_s', info.duration_s);
  // Agreement with reviewers (`plexus feedback agreement --run`): feedback.<score>.krippendorff_alpha, ...
  // The model's agreement computed before the run last ended is of other results: left out, as
  // report.html leaves it out (the reviewers' agreement among themselves holds).
  const stale = agreement && staleAgreementReason(agreement.computed_at, info.ended_at);
  for (const [name, entry] of Object.entries(agreement?.scores ?? {})) {
    const { model_vs_majority: _model, ...reviewers } = entry;
    flatten(`feedback.${scoreKey(name)}`, stale ? reviewers : entry, values);
  }
  return [...values].map(([key, value]) => ({ key: mlflowKey(key), value, timestamp, step: 0 }));
}
