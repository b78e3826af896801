import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ConfigProblem } from '../common/errors.js';
import { hashValue } from '../common/hash.js';
import { applyCalibration, type CalibrationMap } from '../metrics/calibration.js';
import type { ScoreV1 } from '../spec/score-spec.js';
import type { LoadedScore } from './loaded-scorecard.js';
import type { SourcePositions } from './source-positions.js';
import { wrappedScore } from './wrapped-score.js';

/** A calibration file (`plexus calibrate` writes it; a score's `calibration:` names it). */
export const calibrationFileSchema = z.object({
  version: z.literal(1),
  score: z.string(),
  map: z.discriminatedUnion('method', [
    z.object({
      method: z.literal('isotonic'),
      x: z.array(z.number()).min(1),
      y: z.array(z.number()).min(1),
    }),
    z.object({ method: z.literal('platt'), a: z.number(), b: z.number() }),
  ]),
  fitted: z.record(z.string(), z.unknown()).optional(),
});
export type CalibrationFile = z.infer<typeof calibrationFileSchema>;

/** The score with its confidence mapped (the label and the probabilities are left as given). */
export function calibratedScore(score: ScoreV1, map: CalibrationMap): ScoreV1 {
  const fingerprint = hashValue({ score: score.fingerprint, calibration: map });
  const doScore: ScoreV1['doScore'] = async (options) =>
    (await score.doScore(options)).map((output) =>
      typeof output.confidence === 'number' && Number.isFinite(output.confidence)
        ? { ...output, confidence: applyCalibration(map, output.confidence) }
        : output,
    );
  return wrappedScore(score, fingerprint, doScore);
}

async function readCalibration(
  path: string,
  score: string,
): Promise<{ map: CalibrationMap; code?: unknown } | { problem: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return {
      problem: `cannot read the calibration ${path} (${(error as Error).message}); run plexus calibrate`,
    };
  }
  const checked = calibrationFileSchema.safeParse(parsed);
  if (!checked.success)
    return {
      problem: `${path} is not a calibration file (${checked.error.issues[0]?.message}); run plexus calibrate again`,
    };
  if (checked.data.score !== score)
    return { problem: `${path} calibrates "${checked.data.score}", not "${score}"` };
  const { map } = checked.data;
  if (map.method === 'isotonic' && map.x.length !== map.y.length)
    return { problem: `${path}: x and y differ in length; run plexus calibrate again` };
  return { map, code: checked.data.fitted?.package };
}

/**
 * Why a calibration may no longer fit its score: it was fitted on the confidences one version of
 * the score's package gave (`fitted.package`, `name@version`), and another runs it now (an
 * upgrade may change what a confidence is), or the file does not say (an earlier Plexus wrote it).
 * Undefined when the same, or unknown when it was fitted.
 */
function staleCalibration(
  path: string,
  fitted: unknown,
  now: string | undefined,
): string | undefined {
  const running = now?.split(' ')[0];
  if (running === undefined) return undefined;
  // Absent (not null, which says the package was unknown then): written before Plexus kept it.
  if (fitted === undefined)
    return `${path} does not say which version of the score's package it was fitted on (an earlier Plexus wrote it); the score now runs ${running}: if its confidence changed meaning since (llm/classifier's did, to the label's token probability), the map no longer fits; fit it again with plexus calibrate`;
  if (typeof fitted !== 'string' || fitted === running) return undefined;
  return `${path} was fitted on the confidences of ${fitted}, and the score now runs ${running}: if its confidence changed meaning, the map no longer fits; fit it again with plexus calibrate`;
}

/**
 * Reads the `calibration:` file of each score that names one (relative to the scorecard) and
 * wraps its created score so its confidence is calibrated. Returns the problems (missing or broken file).
 */
export async function applyCalibrations(
  scores: readonly (LoadedScore & { index: number })[],
  raw: unknown,
  context: {
    baseDir: string;
    positions: SourcePositions;
    onWarning?: (warning: ConfigProblem) => void;
  },
): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const files = (raw as { scores?: unknown })?.scores;
  if (!Array.isArray(files)) return problems;
  for (const entry of scores) {
    const setting = (files[entry.index] as { calibration?: unknown } | undefined)?.calibration;
    if (typeof setting !== 'string') continue;
    const path = resolve(context.baseDir, setting);
    const read = await readCalibration(path, entry.name);
    const at = ['scores', entry.index, 'calibration'] as const;
    if ('problem' in read) {
      problems.push(context.positions.problem(at, read.problem));
      continue;
    }
    const stale = staleCalibration(setting, read.code, entry.code);
    if (stale) context.onWarning?.(context.positions.problem(at, stale));
    if (entry.score) entry.score = calibratedScore(entry.score, read.map);
  }
  return problems;
}
