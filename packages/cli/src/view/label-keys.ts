import { type LabelNormalization, normalizeLabel, type ResultLine } from '@plexus/core';

/** Adds `id` to the set at `at`, making it when absent. */
export function addTo(sets: Set<number>[], at: number, id: number): void {
  const set = sets[at];
  if (set) set.add(id);
  else sets[at] = new Set([id]);
}

/**
 * The gold label and the answer of a line as the metrics name them (core's `judgedPair`): each
 * normalised with its score's `normalize_labels`; a correct answer is its gold label's; a wrong one
 * that normalises to its gold label (judged by other rules) keeps its own name.
 */
export function labelKeys(
  line: ResultLine,
  normalize: (label: string) => string,
): [string | null, string | null] {
  const gold = line.label === null ? null : normalize(String(line.label));
  if (line.value === null) return [gold, null];
  const judged = line.status === 'ok' && gold !== null;
  if (judged && line.correct === true) return [gold, gold];
  const value = normalize(String(line.value));
  if (judged && line.correct === false && value === gold)
    return [gold, line.value !== gold ? String(line.value) : `${line.value} (judged wrong)`];
  return [gold, value];
}

/** `normalizeLabel` with `options`, its answers remembered for the first 4096 labels. */
export function rememberedNormalizer(
  options: LabelNormalization | undefined,
): (label: string) => string {
  const known = new Map<string, string>();
  return (label) => {
    let key = known.get(label);
    if (key === undefined) {
      key = normalizeLabel(label, options);
      if (known.size < 4096) known.set(label, key);
    }
    return key;
  };
}

/** How an answer compares with its gold label. */
export type Outcome = 'correct' | 'incorrect' | 'unjudged';
/** The outcomes; a line's is stored as its place here. */
export const outcomeNames: readonly Outcome[] = ['correct', 'incorrect', 'unjudged'];

/** Correct or incorrect as the run judged it (its own `correct`); unjudged without gold or answer. */
export function outcomeOf(line: ResultLine): Outcome {
  if (line.status !== 'ok' || line.value === null || line.label === null) return 'unjudged';
  const correct = line.correct ?? line.value === line.label;
  return correct ? 'correct' : 'incorrect';
}
