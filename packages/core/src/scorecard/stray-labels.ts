import { type LabelNormalization, normalizeLabel } from '../text/labels.js';
import { nameHint } from './lookalike-names.js';

/** Gold labels that are none of a score's labels: how many, of how many, and the first ten. */
export interface StrayLabels {
  /** Labels counted, stray ones included. */
  labelled: number;
  stray: number;
  /** `"yse" ×3; did you mean "yes"?, "n/a" ×1`, by count, then `, and N more labels`. */
  listed: string;
}

/**
 * The labels of `counts` (label, how often) that are none of `labels` as the score compares them
 * (`normalization`), or undefined when every one is; shared by the dataset's check before a run
 * and `--gold feedback`'s reviews.
 */
export function strayLabels(
  counts: Iterable<readonly [string, number]>,
  labels: readonly string[],
  normalization?: LabelNormalization,
): StrayLabels | undefined {
  const normalize = (label: string) => normalizeLabel(label, normalization);
  const known = new Set(labels.map(normalize));
  let labelled = 0;
  let stray = 0;
  const strays: [string, number][] = [];
  for (const [label, count] of counts) {
    labelled += count;
    if (known.has(normalize(label))) continue;
    stray += count;
    strays.push([label, count]);
  }
  if (stray === 0) return undefined;
  strays.sort((left, right) => right[1] - left[1]);
  const listed = strays
    .slice(0, 10)
    .map(([label, count]) => {
      // An n/a-style value stands for "na", not for a label it happens to look like; `1.0` for
      // the number `1` (a spreadsheet's export), not for the label `0` one letter away.
      const hint =
        normalize(label) === 'na' ? '' : (numberHint(label, labels) ?? nameHint(label, labels));
      return `"${label}" ×${count}${hint}`;
    })
    .join(', ');
  const more = strays.length > 10 ? `, and ${strays.length - 10} more labels` : '';
  return { labelled, stray, listed: `${listed}${more}` };
}

/** A decimal number as written (`1`, `1.0`, `-2.50`, `1e3`), else undefined. */
function numberOf(text: string): number | undefined {
  return /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : undefined;
}

/**
 * For a number: the label it is written another way (`1.0` for `1`), or '' (no number is another's
 * lookalike: `2` is no typo of `1`); undefined for a label that is no number.
 */
function numberHint(label: string, labels: readonly string[]): string | undefined {
  const value = numberOf(label);
  if (value === undefined) return undefined;
  const same = labels.find((known) => numberOf(known) === value);
  return same === undefined
    ? ''
    : `; the label "${same}" written another way: write the gold as "${same}" (labels compare as text)`;
}
