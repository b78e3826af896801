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

/** A sample as its flags say it: `--sample 20 --seed 3`. */
function sampleText(sample: RunSelection['sample']): string {
  if (sample === undefined) return 'no --sample';
  const stratify = sample.stratify === undefined ? '' : ` --stratify ${sample.stratify}`;
  return `--sample ${sample.size} --seed ${sample.seed}${stratify}`;
}

/**
 * Why a resume's `--limit` or `--sample` would leave out items the run may hold results of, if it
 * would: they stayed in results.jsonl and its metrics while the summary counted the new selection
 * ("3 items, 5 results" after `--limit 5`, then `--resume --limit 3`). A larger `--limit` goes on.
 */
export function narrowedSelection(
  given: RunSelection,
  recorded: Record<string, unknown> | undefined,
): string | undefined {
  const limit = isWhole(recorded?.limit) ? (recorded?.limit as number) : undefined;
  const sample = recordedSample(recorded?.sample);
  if (given.limit !== undefined && given.limit < (limit ?? Number.POSITIVE_INFINITY)) {
    const ran = limit === undefined ? 'without --limit' : `with --limit ${limit}`;
    return `--limit ${given.limit} would leave out items this run may hold results of (it ran ${ran}): they would stay in results.jsonl and its metrics. Resume ${limit === undefined ? 'without --limit' : `with --limit ${limit} or more`}, or start a new run with --out`;
  }
  if (given.sample !== undefined && sampleText(given.sample) !== sampleText(sample))
    return `${sampleText(given.sample)} chooses other items than the run's (${sampleText(sample)}): its results would stay in results.jsonl and its metrics beside them. Resume without --sample, or start a new run with --out`;
  return undefined;
}
