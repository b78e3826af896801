import {
  applyCalibration,
  type CalibrationMap,
  type CalibrationMetrics,
  calibrationMetrics,
  fitIsotonic,
  fitPlatt,
  InvalidConfigError,
  seededRandom,
} from '@plexus/core';

/** One labelled answer of the score: its raw confidence and whether it was right. */
export interface JudgedAnswer {
  item_id: string;
  confidence: number;
  correct: boolean;
}

/** The lowest confidence threshold whose answers reach a precision, on held-out items. */
export interface PrecisionThreshold {
  threshold: number;
  precision: number;
  /** Held-out answers at or above the threshold. */
  kept: number;
  held_out: number;
}

export interface CalibrationFit {
  map: CalibrationMap;
  fitted_on: number;
  held_out: number;
  before: CalibrationMetrics;
  after: CalibrationMetrics;
  threshold?: PrecisionThreshold | null;
}

/** A seeded split by item id: `fraction` of the answers held out (at least one on each side). */
export function splitAnswers(
  answers: readonly JudgedAnswer[],
  fraction: number,
  seed: number,
): { fit: JudgedAnswer[]; heldOut: JudgedAnswer[] } {
  const random = seededRandom(seed);
  // In item id order first: the split does not depend on the order results were written in.
  const shuffled = [...answers].sort((a, b) =>
    a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0,
  );
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  const held = Math.min(Math.max(Math.round(answers.length * fraction), 1), answers.length - 1);
  return { heldOut: shuffled.slice(0, held), fit: shuffled.slice(held) };
}

/**
 * The lowest threshold t (among the held-out calibrated confidences) such that the answers with
 * confidence >= t are right at least `target` of the time; null when no threshold reaches it.
 */
export function precisionThreshold(
  answers: readonly { confidence: number; correct: boolean }[],
  target: number,
): PrecisionThreshold | null {
  const sorted = [...answers].sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let best: PrecisionThreshold | null = null;
  for (let index = 0; index < sorted.length; index += 1) {
    if (sorted[index]!.correct) right += 1;
    const next = sorted[index + 1];
    // Only between distinct confidences: every answer at the threshold is kept.
    if (next && next.confidence === sorted[index]!.confidence) continue;
    const precision = right / (index + 1);
    if (precision >= target)
      best = {
        threshold: sorted[index]!.confidence,
        precision,
        kept: index + 1,
        held_out: sorted.length,
      };
  }
  return best;
}

/** Fits the map on a seeded part and measures ECE before and after on the held-out part. */
export function fitCalibration(
  answers: readonly JudgedAnswer[],
  options: {
    method: 'isotonic' | 'platt';
    seed: number;
    testFraction: number;
    targetPrecision?: number;
  },
): CalibrationFit {
  if (answers.length < 10)
    throw new InvalidConfigError([
      {
        path: '--data',
        message: `${answers.length} labelled answers with a confidence: calibration needs at least 10 (more is better)${answers.length === 0 ? "; this score's answers carry no confidence (an llm/classifier has one with logprobs: true)" : ''}`,
      },
    ]);
  const { fit, heldOut } = splitAnswers(answers, options.testFraction, options.seed);
  const map =
    options.method === 'isotonic'
      ? fitIsotonic(
          fit.map((answer) => answer.confidence),
          fit.map((answer) => (answer.correct ? 1 : 0)),
        )
      : fitPlatt(
          fit.map((answer) => answer.confidence),
          fit.map((answer) => answer.correct),
        );
  const calibrated = heldOut.map((answer) => ({
    confidence: applyCalibration(map, answer.confidence),
    correct: answer.correct,
  }));
  return {
    map,
    fitted_on: fit.length,
    held_out: heldOut.length,
    before: calibrationMetrics(heldOut)!,
    after: calibrationMetrics(calibrated)!,
    ...(options.targetPrecision === undefined
      ? {}
      : { threshold: precisionThreshold(calibrated, options.targetPrecision) }),
  };
}
