import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type LabelNormalization, normalizedLabel } from '../text/labels.js';

/** How one score names its labels for the counts: its `normalize_labels` applied. */
export type LabelNormalizer = (label: string) => string;

function normalizationOf(value: unknown): LabelNormalization {
  if (typeof value !== 'object' || value === null) return {};
  const { case: caseSensitive, na } = value as { case?: unknown; na?: unknown };
  return {
    ...(typeof caseSensitive === 'boolean' ? { case: caseSensitive } : {}),
    ...(typeof na === 'boolean' ? { na } : {}),
  };
}

/** The scores' `normalize_labels` in a run folder's scorecard copy; empty when it has none. */
async function recordedNormalizations(dir: string): Promise<Map<string, LabelNormalization>> {
  const found = new Map<string, LabelNormalization>();
  for (const name of ['scorecard.yaml', 'scorecard.json']) {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    try {
      const scores = (parse(text) as { scores?: unknown } | null)?.scores;
      for (const entry of Array.isArray(scores) ? scores : []) {
        const { name: score, normalize_labels: normalize } = (entry ?? {}) as Record<
          string,
          unknown
        >;
        if (typeof score === 'string') found.set(score, normalizationOf(normalize));
      }
    } catch {
      // an unreadable copy: the default way, as for a run folder without one
    }
    return found;
  }
  return found;
}

/**
 * Per score of a run, its labels normalised as the run compared them (`normalize_labels` from the
 * run folder's scorecard copy; the default way when the copy says nothing): a score that compares
 * `Yes` and `yes` apart keeps them two labels in the comparison's counts, as in its own metrics.
 */
export async function runNormalizers(dir: string): Promise<(score: string) => LabelNormalizer> {
  const recorded = await recordedNormalizations(dir);
  const normalizers = new Map<string, LabelNormalizer>();
  return (score) => {
    let normalizer = normalizers.get(score);
    if (!normalizer) {
      // One options object per score: normalizedLabel remembers labels per object.
      const options = recorded.get(score) ?? {};
      normalizer = (label) => normalizedLabel(label, options);
      normalizers.set(score, normalizer);
    }
    return normalizer;
  };
}
