// What a score package gave besides its status and label, checked before anything keeps it: a
// BigInt or a cycle in a trace failed the whole run at the result line (resumes failed again), a
// negative cost or tokens given as text went into the totals, an explanation that was an object
// broke the report.
import type { ScoreOutputV1, ScoreUsageV1 } from '../spec/score-spec.js';

/** Where a loaded score comes from: its class and, for an installed package, its code identity. */
export interface ScoreSource {
  className: string;
  /** `name@version hash` (`packageCode`). */
  code?: string;
}

/** The package a score comes from, as it is installed (`plexus-score-x`, `@plexus/classifier-llm`). */
export function scorePackageOf(source: ScoreSource): string {
  const { code, className } = source;
  if (code !== undefined) {
    const nameAndVersion = code.slice(0, code.indexOf(' ') >>> 0);
    const at = nameAndVersion.lastIndexOf('@');
    if (at > 0) return nameAndVersion.slice(0, at);
  }
  const slash = className.lastIndexOf('/');
  return slash > 0 ? className.slice(0, slash) : className;
}

/** Plexus's own score packages: their traces are plain JSON by construction (not stringified twice). */
export function isBuiltInPackage(name: string): boolean {
  return name.startsWith('@plexus/classifier-');
}

const countFields = [
  'inputTokens',
  'outputTokens',
  'cachedTokens',
  'calls',
  'retries',
  'cacheHits',
] as const;

/** A type as a message names it: `a BigInt`, `text`, `an object`. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (typeof value === 'bigint') return `a BigInt (${String(value).slice(0, 20)}n)`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `text (${JSON.stringify(value.slice(0, 40))})`;
  if (Array.isArray(value)) return 'a list';
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

/** Why `usage` is not usage (counts are numbers from 0; a cost a number from 0, or null), if so. */
export function usageProblem(usage: unknown): string | undefined {
  if (usage === undefined || usage === null) return undefined;
  if (typeof usage !== 'object') return `usage is ${typeName(usage)}, not an object`;
  const given = usage as Record<keyof ScoreUsageV1, unknown>;
  for (const field of countFields) {
    const count = given[field];
    if (count !== undefined && !(typeof count === 'number' && Number.isFinite(count) && count >= 0))
      return `usage.${field} is ${typeName(count)}, not a number from 0`;
  }
  const cost = given.costUsd;
  if (
    cost !== undefined &&
    cost !== null &&
    !(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)
  )
    return `usage.costUsd is ${typeName(cost)}, not US dollars from 0 (null: an unknown price)`;
  if (given.unpricedModel !== undefined && typeof given.unpricedModel !== 'string')
    return `usage.unpricedModel is ${typeName(given.unpricedModel)}, not text`;
  if (given.tokensUnknown !== undefined && typeof given.tokensUnknown !== 'boolean')
    return `usage.tokensUnknown is ${typeName(given.tokensUnknown)}, not true or false`;
  return undefined;
}

/** Why `probabilities` are not shares per label, if so. */
function probabilitiesProblem(probabilities: unknown): string | undefined {
  if (probabilities === undefined) return undefined;
  if (typeof probabilities !== 'object' || probabilities === null || Array.isArray(probabilities))
    return `probabilities is ${typeName(probabilities)}, not an object of label: probability`;
  for (const [label, share] of Object.entries(probabilities)) {
    if (!(typeof share === 'number' && share >= -1e-6 && share <= 1 + 1e-6))
      return `probabilities[${JSON.stringify(label.slice(0, 40))}] is ${typeName(share)}, not a number from 0 to 1`;
  }
  return undefined;
}

/** Why a value cannot be stored as JSON (a BigInt, a cycle, a toJSON that throws), if so. */
function jsonProblem(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value !== 'object') {
    return typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol'
      ? `${field} is ${typeName(value)}, which JSON cannot hold`
      : undefined;
  }
  try {
    JSON.stringify(value);
    return undefined;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return `${field} cannot be stored as JSON (${reason.slice(0, 120)})`;
  }
}

/**
 * Why an output's other fields are not as `ScoreOutputV1` says, or cannot be stored, if so:
 * explanation, usage, probabilities, an error's message; with `json`, whether the trace and error
 * can be written as JSON (Plexus's own packages skip it: a second stringify of every trace).
 */
export function fieldProblem(output: ScoreOutputV1, json: boolean): string | undefined {
  const { explanation } = output;
  if (explanation !== undefined && explanation !== null && typeof explanation !== 'string')
    return `explanation is ${typeName(explanation)}, not text`;
  if (output.value !== null && output.value !== undefined && typeof output.value !== 'string')
    return `value is ${typeName(output.value)}, not a label (text) or null`;
  if (output.status === 'error') {
    const error = output.error as unknown;
    const message = (error as { message?: unknown } | null | undefined)?.message;
    if (typeof error !== 'object' || error === null || typeof message !== 'string')
      return `status is error, but error is ${typeName(error)}, not { message: text }`;
  }
  const problem = usageProblem(output.usage) ?? probabilitiesProblem(output.probabilities);
  if (problem !== undefined || !json) return problem;
  return jsonProblem('trace', output.trace) ?? jsonProblem('error', output.error);
}
