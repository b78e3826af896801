import { errorMessage, ScoreCallError } from '../common/errors.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { matchLabel } from '../text/labels.js';
import { fieldProblem, usageProblem } from './output-fields.js';

/** The package an output came from, for its errors; `json`: check that its trace is plain JSON. */
export interface OutputSource {
  packageName: string;
  json: boolean;
}

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
  from?: OutputSource,
): ScoreOutputV1 {
  const candidate = output as ScoreOutputV1 | undefined;
  if (typeof candidate !== 'object' || candidate === null || !statuses.has(candidate.status)) {
    return errorOutput(
      new Error(`score "${scoreName}" returned an output without a valid status`),
      'bad_output',
    );
  }
  if (from !== undefined) {
    const problem = fieldProblem(candidate, from.json);
    if (problem !== undefined) return badFields(candidate, scoreName, from.packageName, problem);
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

/** How a package is told to fix what it returns. */
function packageFix(packageName: string): string {
  return `a fix for ${packageName}: return text, finite numbers and plain JSON objects as ScoreOutputV1 describes (the item is an error until then)`;
}

/** The error output of an output whose other fields are wrong; its usage kept when it is usage. */
function badFields(
  output: ScoreOutputV1,
  scoreName: string,
  packageName: string,
  problem: string,
): ScoreOutputV1 {
  const message = `score "${scoreName}" (${packageName}) returned an output whose ${problem}; ${packageFix(packageName)}`;
  const bad: ScoreOutputV1 = {
    value: null,
    status: 'error',
    error: { message, code: 'bad_output', retryable: false },
  };
  if (output.usage != null && usageProblem(output.usage) === undefined) bad.usage = output.usage;
  return bad;
}

/**
 * What a score's call threw, as an Error whose message can be read: a string, null or an object
 * thrown (or an Error whose message getter throws) is named as such, with the package and the fix.
 */
export function thrownError(thrown: unknown, scoreName: string, packageName: string): Error {
  try {
    if (thrown instanceof Error && typeof thrown.message === 'string') return thrown;
  } catch {
    // a proxy or a getter that throws: described below
  }
  return new Error(
    `score "${scoreName}" (${packageName}) threw ${shownThrown(thrown)} instead of an Error; a fix for ${packageName}: throw an Error whose message says what went wrong`,
  );
}

/** A thrown value as a message quotes it, whatever it is. */
function shownThrown(thrown: unknown): string {
  try {
    if (typeof thrown === 'string') return `the text ${JSON.stringify(thrown.slice(0, 200))}`;
    if (thrown === null || thrown === undefined) return String(thrown);
    if (typeof thrown !== 'object') return `${typeof thrown} ${String(thrown).slice(0, 40)}`;
    return `an object (${Object.prototype.toString.call(thrown)})`;
  } catch {
    return 'a value that cannot be read';
  }
}

/** A confidence as an error quotes it: `NaN` and `Infinity` as such (JSON writes them `null`). */
function shownConfidence(confidence: unknown): string {
  if (typeof confidence === 'bigint') return `${String(confidence).slice(0, 39)}n`;
  const shown = typeof confidence === 'number' ? String(confidence) : JSON.stringify(confidence);
  return String(shown).slice(0, 40);
}

/** Rounding a confidence may be off by, and still be one. */
const roundingSlack = 1e-6;

/** A number from 0 to 1, give or take rounding. */
function isShare(value: unknown): boolean {
  return typeof value === 'number' && value >= -roundingSlack && value <= 1 + roundingSlack;
}
