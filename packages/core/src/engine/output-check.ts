import { errorMessage, ScoreCallError } from '../common/errors.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { matchLabel } from '../text/labels.js';

const statuses = new Set(['ok', 'skipped', 'error', 'disabled']);

/** An `error` output for an item, from anything thrown. */
export function errorOutput(error: unknown, code = 'score_failed'): ScoreOutputV1 {
  const retryable =
    ScoreCallError.isInstance(error) && error instanceof ScoreCallError ? error.isRetryable : false;
  const errorCode = error instanceof ScoreCallError && error.code ? error.code : code;
  return {
    value: null,
    status: 'error',
    error: { message: errorMessage(error), code: errorCode, retryable },
  };
}

/**
 * Checks what a score returned: a known status, and for `ok` a value among the labels
 * (matched ignoring case and trailing punctuation). Anything else becomes an `error` output.
 */
export function checkOutput(
  output: unknown,
  labels: readonly string[],
  scoreName: string,
): ScoreOutputV1 {
  const candidate = output as ScoreOutputV1 | undefined;
  if (typeof candidate !== 'object' || candidate === null || !statuses.has(candidate.status)) {
    return errorOutput(
      new Error(`score "${scoreName}" returned an output without a valid status`),
      'bad_output',
    );
  }
  if (candidate.status !== 'ok') return candidate;
  const { confidence } = candidate;
  if (typeof confidence === 'number' && isShare(confidence) && (confidence < 0 || confidence > 1))
    // A float's last bit (a float32 softmax's 1.0000001): the nearest share.
    return checkOutput(
      { ...candidate, confidence: Math.min(1, Math.max(0, confidence)) },
      labels,
      scoreName,
    );
  if (confidence !== undefined && confidence !== null && !isShare(confidence)) {
    // Stored as given, 1.7 or "0.5" was a confidence calibration then clamped without a word.
    // The rest of the output is kept: its usage was paid for.
    const { confidence: _refused, ...rest } = candidate;
    return {
      ...rest,
      value: null,
      status: 'error',
      error: {
        message: `score "${scoreName}" returned confidence ${shownConfidence(confidence)}: a confidence is a number from 0 to 1 (or null when the score has none)`,
        code: 'bad_output',
        retryable: false,
      },
    };
  }
  if (typeof candidate.value !== 'string') {
    return errorOutput(new Error(`score "${scoreName}" returned ok without a label`), 'bad_output');
  }
  const label = matchLabel(candidate.value, labels);
  if (label === undefined) {
    return {
      ...candidate,
      value: null,
      status: 'error',
      error: {
        message: `score "${scoreName}" answered "${candidate.value.slice(0, 200)}", which is not one of its labels (${labels.join(', ')})`,
        code: 'invalid_label',
        retryable: false,
      },
    };
  }
  return label === candidate.value ? candidate : { ...candidate, value: label };
}

/** A confidence as an error quotes it: `NaN` and `Infinity` as such (JSON writes them `null`). */
function shownConfidence(confidence: unknown): string {
  const shown = typeof confidence === 'number' ? String(confidence) : JSON.stringify(confidence);
  return String(shown).slice(0, 40);
}

/** Rounding a confidence may be off by, and still be one. */
const roundingSlack = 1e-6;

/** A number from 0 to 1, give or take rounding. */
function isShare(value: unknown): boolean {
  return typeof value === 'number' && value >= -roundingSlack && value <= 1 + roundingSlack;
}
