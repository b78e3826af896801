/** What chooses a run's items and scores: `--score`, `--limit`, `--sample` (run.json's `options`). */
export interface RunSelection {
  scores?: readonly string[];
  limit?: number;
  sample?: { size: number; seed: number; stratify?: string };
}

const isWhole = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;

/** run.json's `options.sample` when it is one (a hand edit is ignored, not trusted). */
function recordedSample(value: unknown): RunSelection['sample'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const { size, seed, stratify } = value as Record<string, unknown>;
  if (!isWhole(size) || typeof seed !== 'number' || !Number.isInteger(seed)) return undefined;
  return typeof stratify === 'string' ? { size, seed, stratify } : { size, seed };
}

/**
 * The selection a resume goes on with: what is given again, else what run.json recorded when the
 * run started, so that resuming a `--limit 10 --score X` run scores the rest of those 10 items with
 * X, not the whole dataset with every score (which, with LLM scores, is a bill nobody asked for).
 */
export function resumedSelection(
  given: RunSelection,
  recorded: Record<string, unknown> | undefined,
): RunSelection {
  const scores = recorded?.scores;
  const keptScores =
    Array.isArray(scores) && scores.every((name) => typeof name === 'string')
      ? (scores as string[])
      : undefined;
  const limit = recorded?.limit;
  return {
    scores: given.scores ?? keptScores,
    limit: given.limit ?? (isWhole(limit) ? limit : undefined),
    sample: given.sample ?? recordedSample(recorded?.sample),
  };
}
