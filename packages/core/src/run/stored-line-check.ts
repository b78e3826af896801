import type { LabelNormalization } from '../text/labels.js';
import { nameRecordOf, nameValue } from '../text/name-records.js';
import { correctOf, type ResultLine } from './result-line.js';

const statuses = new Set(['ok', 'skipped', 'error', 'disabled']);

/** What a score's stored lines must agree with: its labels and how its gold labels are compared. */
export interface StoredLineScore {
  labels: readonly string[];
  normalization: LabelNormalization | undefined;
}

/** Longest value quoted in a problem. */
const quoted = 60;

/**
 * Why a stored result line is not one Plexus writes for the score (see `toResultLine` and
 * `checkOutput`), or undefined: a known status; for `ok`, a value among the score's labels as the
 * engine stores it; a text label or none. A resume scores such a line's item again rather than
 * count it (a hand edit, another version). `correct` is checked apart (`storedLineChecker`).
 */
export function storedLineProblem(line: ResultLine, score: StoredLineScore): string | undefined {
  if (typeof line.item_id !== 'string') return `item_id ${quote(line.item_id)} is not text`;
  if (!statuses.has(line.status))
    return `status ${quote(line.status)} is not ok, skipped, error or disabled`;
  const { value, label } = line;
  if (line.status === 'ok') {
    if (typeof value !== 'string') return 'an ok result without a value';
    if (score.labels.length > 0 && !score.labels.includes(value))
      return `value ${quote(value)} is not one of the score's labels (${score.labels.join(', ')})`;
  }
  if (label !== null && typeof label !== 'string') return `label ${quote(label)} is not text`;
  return undefined;
}

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > quoted ? `${text.slice(0, quoted)}…` : text;
}

/**
 * A resume's check of its stored lines against the scorecard's scores (lines of other scores are
 * left to the fingerprint check): a line `storedLineProblem` refuses is dropped (its item scored
 * again); a kept line's `correct` is set to what its value and label give (metrics count `correct`
 * as stored). `warning` says what it did.
 */
export function storedLineChecker(scores: readonly ({ name: string } & StoredLineScore)[]) {
  const byName = nameRecordOf(scores.map((score) => [score.name, score] as const));
  const examples: string[] = [];
  let dropped = 0;
  let corrected = 0;
  return {
    check(line: ResultLine): string | undefined {
      const score = typeof line.score === 'string' ? nameValue(byName, line.score) : undefined;
      if (!score) return undefined;
      const problem = storedLineProblem(line, score);
      if (problem) {
        dropped += 1;
        if (examples.length < 3)
          examples.push(`${quote(line.item_id)} / ${line.score}: ${problem}`);
        return problem;
      }
      const correct = correctOf(line, line.label, score.normalization);
      if (line.correct !== correct) {
        corrected += 1;
        line.correct = correct;
      }
      return undefined;
    },
    /** The warning for `results.jsonl` of `dir`, or undefined when every line was kept as it was. */
    warning(dir: string): string | undefined {
      const parts: string[] = [];
      if (dropped > 0) {
        const more = dropped > examples.length ? `; and ${dropped - examples.length} more` : '';
        parts.push(
          `${dropped} stored result${dropped === 1 ? ' is' : 's are'} not as Plexus writes them and ${dropped === 1 ? 'was' : 'were'} scored again (${examples.join('; ')}${more})`,
        );
      }
      if (corrected > 0)
        parts.push(
          `${corrected} stored result${corrected === 1 ? '' : 's'} had a "correct" that ${corrected === 1 ? 'its' : 'their'} value and label do not give; set from them`,
        );
      return parts.length > 0 ? `${dir}/results.jsonl: ${parts.join('; ')}` : undefined;
    },
  };
}
