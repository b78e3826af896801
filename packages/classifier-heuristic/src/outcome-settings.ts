import type { ScoreEnvV1 } from '@plexus/core';
import { z } from 'zod';

/** Settings that map "matched" and "not matched" to labels. */
export const outcomeSettings = {
  /** Label when the rule matches; default the first label (`yes`). */
  on_match: z.string().min(1).optional(),
  /** Label when it does not; default the second label (`no`). */
  on_no_match: z.string().min(1).optional(),
};

export interface Outcome {
  match: string;
  noMatch: string;
}

/** The labels a matching rule gives, from settings or the declared labels (default yes/no). */
export function outcomeLabels(
  settings: { on_match?: string | undefined; on_no_match?: string | undefined },
  env: Pick<ScoreEnvV1, 'labels'>,
): Outcome {
  const labels = env.labels.length > 0 ? env.labels : ['yes', 'no'];
  return {
    match: settings.on_match ?? labels[0]!,
    noMatch: settings.on_no_match ?? labels[1] ?? labels[0]!,
  };
}

/** How hits combine: any phrase, all phrases, or none of them. */
export const matchModeSchema = z.enum(['any', 'all', 'none']).default('any');
export type MatchMode = z.output<typeof matchModeSchema>;

/** Whether a rule matches, given how many of its patterns were found. */
export function ruleMatches(mode: MatchMode, found: number, total: number): boolean {
  if (mode === 'any') return found > 0;
  if (mode === 'all') return found === total;
  return found === 0;
}
