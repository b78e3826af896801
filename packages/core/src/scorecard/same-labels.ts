import type { ConfigProblem } from '../common/errors.js';
import { type LabelNormalization, normalizeLabel } from '../text/labels.js';
import { lookalikeDifference, nameLook } from './lookalike-names.js';
import type { SourcePositions } from './source-positions.js';

/**
 * Labels that compare equal once normalised (`Spam` and `spam.`, `none` and `n/a`): an answer or a
 * gold label of one is the other, so the metrics would count a "no" as a "yes". One problem each.
 * Labels that look the same and are not (`spam` with a Cyrillic `а`) are refused too: two columns
 * of the confusion matrix alike, and an answer in the Latin letter was none of the score's labels.
 */
export function sameLabels(
  labels: readonly string[],
  normalization: LabelNormalization | undefined,
  positions: SourcePositions,
  at: readonly PropertyKey[],
): ConfigProblem[] {
  const seen = new Map<string, string>();
  const looks = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  labels.forEach((label, index) => {
    const normalized = normalizeLabel(label, normalization);
    const first = seen.get(normalized);
    const lookalike = looks.get(nameLook(normalized));
    if (first === undefined && lookalike !== undefined) {
      // Told on the labels as written, or as compared when only that makes them alike (case).
      const why =
        lookalikeDifference(label, lookalike) ??
        lookalikeDifference(normalized, normalizeLabel(lookalike, normalization))!;
      problems.push(
        positions.problem(
          [...at, 'labels', index],
          `"${label}" looks the same as the label "${lookalike}": ${why}; keep one`,
        ),
      );
      return;
    }
    if (first === undefined) {
      seen.set(normalized, label);
      looks.set(nameLook(normalized), label);
      return;
    }
    problems.push(
      positions.problem(
        [...at, 'labels', index],
        first === label
          ? `"${label}" is listed twice`
          : `"${label}" and "${first}" are the same label once compared (case, surrounding spaces, trailing .!?, n/a and none as na): results could not tell them apart; keep one, or set normalize_labels`,
      ),
    );
  });
  return problems;
}
