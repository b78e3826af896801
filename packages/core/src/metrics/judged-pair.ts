import type { ResultLine } from '../run/result-line.js';

/** A labelled answer as the metrics count it: its confusion cell and whether it is correct. */
export interface JudgedPair {
  /** Gold label, normalised by the reader. */
  gold: string;
  /** Predicted label, normalised by the reader; equal to `gold` exactly when `correct`. */
  predicted: string;
  correct: boolean;
}

/**
 * The confusion cell of a line scored `ok` with a value and a gold label; null for any other line.
 * Whether it is correct is the line's own `correct`, decided once when the line was built, with
 * the score's `normalize_labels` (see `toResultLine`): readers never judge again. `normalize` only
 * names the cell's labels. A wrong answer whose labels the reader's normalisation folds together
 * (the score compared more strictly, e.g. `case: false`) keeps its own column, so the matrix agrees
 * with `correct`. Only a line without `correct` (a file not written by Plexus) is judged here.
 */
export function judgedPair(
  line: ResultLine,
  normalize: (label: string) => string,
): JudgedPair | null {
  if (line.status !== 'ok' || line.value === null || line.label === null) return null;
  const gold = normalize(line.label);
  // Judged correct when the line was built: its cell is the gold label's, the value is not read.
  if (line.correct === true) return { gold, predicted: gold, correct: true };
  const predicted = normalize(line.value);
  const correct = line.correct ?? gold === predicted;
  if (correct) return { gold, predicted: gold, correct };
  if (predicted !== gold) return { gold, predicted, correct };
  return {
    gold,
    predicted: line.value !== gold ? line.value : `${line.value} (judged wrong)`,
    correct,
  };
}
