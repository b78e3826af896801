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
