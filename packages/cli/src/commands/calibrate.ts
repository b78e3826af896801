import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { costText, InvalidConfigError, sha256 } from '@plexus/core';
import type { Command } from 'commander';
import { isScalar, type YAMLMap } from 'yaml';
import { positiveNumber, wholeNumber } from '../arguments.js';
import {
  type CalibrateFlags,
  type LeftOut,
  type RawAnswers,
  rawAnswers,
  scoreNode,
} from '../calibrate-answers.js';
import { type CalibrationFit, fitCalibration } from '../calibration-fit.js';
import type { CliIo } from '../output.js';

/** The score of a calibration file, or undefined when the file is not one. */
function calibratedScore(file: string): string | undefined {
  try {
    const score = (JSON.parse(readFileSync(file, 'utf8')) as { score?: unknown }).score;
    return typeof score === 'string' ? score : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `NAME.calibration.json` beside the scorecard, the name's other characters as `-`. Two names can
 * give one file (`Spam Words`, `Spam/Words`): when it holds another score's calibration (or is no
 * calibration), the name takes 8 hex digits of the score's hash instead of writing over it (the
 * other score lost its fit and its scorecard no longer loaded).
 */
function calibrationFile(dir: string, score: string): string {
  const slug = score.replace(/[^A-Za-z0-9._-]+/g, '-');
  const plain = join(dir, `${slug}.calibration.json`);
  if (!existsSync(plain) || calibratedScore(plain) === score) return plain;
  return join(dir, `${slug}-${sha256(score).slice(0, 8)}.calibration.json`);
}

/**
 * The scorecard's text with `calibration: VALUE` set on the score's map, every other byte kept:
 * an existing value replaced, else a pair added (inside `{ }` for a flow map, else on a line of
 * its own after the map's last line, at the indentation of its keys).
 */
export function withSetting(text: string, node: YAMLMap, value: string): string {
  const pair = node.items.find((item) => isScalar(item.key) && item.key.value === 'calibration');
  const range = (pair?.value as { range?: [number, number, number] } | undefined)?.range;
  if (range) return `${text.slice(0, range[0])}${value}${text.slice(range[1])}`;
  const [start, end] = node.range!;
  if (node.flow) {
    const close = text.lastIndexOf('}', end);
    return `${text.slice(0, close).trimEnd()}, calibration: ${value} ${text.slice(close)}`;
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = ' '.repeat(start - lineStart);
  const lineEnd = text.indexOf('\n', end - 1);
  const at = lineEnd === -1 ? text.length : lineEnd;
  return `${text.slice(0, at)}\n${indent}calibration: ${value}${text.slice(at)}`;
}

/** Whether the map lowers the held-out answers' ECE or keeps it (equal: a map of perfect answers). */
function improves(fit: CalibrationFit): boolean {
  return fit.after.ece <= fit.before.ece + 1e-12;
}

/**
 * Where the map is written: `calibrationFile`, unless the map is not used and the score's
 * `calibration:` names that file (written over, the worse map was used all the same): then
 * `NAME.calibration.not-used.json` beside it.
 */
async function targetFile(path: string, score: string, used: boolean): Promise<string> {
  const file = calibrationFile(dirname(path), score);
  if (used) return file;
  const current = (await scoreNode(path, score)).node.get('calibration');
  if (typeof current !== 'string' || resolve(dirname(path), current) !== file) return file;
  return file.replace(/\.calibration\.json$/, '.calibration.not-used.json');
}

/**
 * Writes the calibration file beside the scorecard and points the score's `calibration:` at it,
 * unless the map makes the held-out answers worse calibrated.
 */
async function writeCalibration(
  path: string,
  flags: CalibrateFlags,
  fit: CalibrationFit,
  raw: RawAnswers,
) {
  const file = await targetFile(path, flags.score, improves(fit));
  const content = {
    version: 1,
    score: flags.score,
    map: fit.map,
    fitted: {
      // As given, else the scorecard's data.path relative to the scorecard (the file travels with it).
      data: flags.data ?? (raw.dataPath === null ? null : relative(dirname(path), raw.dataPath)),
      left_out_in_training: raw.inTraining,
      method: flags.method,
      seed: flags.seed,
      test_fraction: flags.testFraction,
      fitted_on: fit.fitted_on,
      held_out: fit.held_out,
      ece_before: fit.before.ece,
      ece_after: fit.after.ece,
      package: raw.code?.split(' ')[0] ?? null,
    },
  };
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
  // A map that makes held-out answers worse calibrated is kept, not used.
  if (!improves(fit)) return file;
  const text = await readFile(path, 'utf8');
  const { node } = await scoreNode(path, flags.score);
  const reference = relative(dirname(path), file);
  // A plain YAML scalar when it is one, else a quoted string.
  const value = /^[A-Za-z0-9._/-]+$/.test(reference) ? reference : JSON.stringify(reference);
  const edited = withSetting(text, node, value);
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, edited);
  await rename(temporary, path);
  return file;
}

/**
 * A confidence threshold as it is: 3 decimals when they are exact, else every digit. Rounded, a
 * threshold of 0.98749 read 0.987, and `confidence_below: 0.987` kept answers the precision was
 * not measured on.
 */
function thresholdText(threshold: number): string {
  const short = threshold.toFixed(3);
  return Number(short) === threshold ? short : String(threshold);
}

/**
 * Two figures in 3 decimals, or as many more (up to 6) as show them apart when they differ: a map
 * that raised the held-out ECE from 0.03104 to 0.03121 was "worse calibrated (ECE 0.031 → 0.031)".
 */
export function beforeAfter(before: number, after: number): string {
  let digits = 3;
  while (digits < 6 && before !== after && before.toFixed(digits) === after.toFixed(digits))
    digits += 1;
  return `${before.toFixed(digits)} → ${after.toFixed(digits)}`;
}

/** The `--target-precision` line: the threshold to set, or why there is none. */
function thresholdLine(threshold: CalibrationFit['threshold'], target: number): string {
  if (!threshold)
    return `  precision ≥ ${target}: no confidence threshold reaches it on the held-out answers`;
  const reached = `  precision ≥ ${target}: confidence ≥ ${thresholdText(threshold.threshold)} (precision ${threshold.precision.toFixed(3)} on ${threshold.kept} of ${threshold.held_out} held-out answers)`;
  if (threshold.kept === threshold.held_out)
    return `${reached}: every held-out answer reaches it, no threshold is needed`;
  return `${reached}; send the rest on with confidence_below: ${thresholdText(threshold.threshold)}`;
}

/** The results no answer to fit on came from, by why; undefined when every result gave one. */
function leftOutLine(counts: LeftOut): string | undefined {
  const parts = [
    ...(counts.failed > 0 ? [`${counts.failed} failed or skipped`] : []),
    ...(counts.noGold > 0 ? [`${counts.noGold} without a gold label`] : []),
    ...(counts.noConfidence > 0 ? [`${counts.noConfidence} without a confidence`] : []),
  ];
  if (parts.length === 0) return undefined;
  const total = counts.failed + counts.noGold + counts.noConfidence;
  return `  left out: ${total} of the ${counts.results} results: ${parts.join(', ')}`;
}

function report(fit: CalibrationFit, flags: CalibrateFlags, file: string, raw: RawAnswers): string {
  const lines = [
    `${flags.score}: ${flags.method} fitted on ${fit.fitted_on} answers, measured on ${fit.held_out} held out (seed ${flags.seed})`,
    `  ECE ${beforeAfter(fit.before.ece, fit.after.ece)}   Brier (top label) ${beforeAfter(fit.before.brier_top_label, fit.after.brier_top_label)}`,
  ];
  if (fit.threshold !== undefined && flags.targetPrecision !== undefined) {
    lines.push(thresholdLine(fit.threshold, flags.targetPrecision));
  }
  const leftOut = leftOutLine(raw.leftOut);
  if (leftOut) lines.push(leftOut);
  if (raw.inTraining > 0)
    lines.push(
      `  left out: ${raw.inTraining} answers on items its model was trained on (remembered, not predicted: their confidence says nothing of new items)`,
    );
  if (raw.cost.llmCalls)
    lines.push(`  scoring the data: ${raw.cost.llmCalls} LLM calls, ${costText(raw.cost)}`);
  lines.push(
    improves(fit)
      ? `Wrote ${file}; the score's calibration: points at it.`
      : `Wrote ${file}, not used: it makes the held-out answers worse calibrated (ECE ${beforeAfter(fit.before.ece, fit.after.ece)}), so the scorecard is left as it was; fit on more labelled items (--data) or try --method platt`,
  );
  return `${lines.join('\n')}\n`;
}

/** `plexus calibrate`: fits a confidence map for one score and makes the score use it. */
export function calibrateCommand(program: Command, io: CliIo): void {
  program
    .command('calibrate')
    .description(
      "fit a map from a score's confidence to how often it is right (isotonic or Platt), and use it from then on",
    )
    .argument('<scorecard>', 'scorecard file')
    .requiredOption('--score <name>', 'the score to calibrate')
    .option('--data <file>', 'labelled dataset; default the scorecard data.path')
    .option('--method <method>', 'isotonic or platt', 'isotonic')
    .option('--seed <s>', 'seed of the split', wholeNumber('--seed', 0), 0)
    .option(
      '--test-fraction <share>',
      'share held out to measure ECE before and after',
      positiveNumber('--test-fraction'),
      0.3,
    )
    .option(
      '--target-precision <p>',
      'also print the confidence threshold that reaches this precision on held-out answers (the share right of the answers at or above it, any label)',
      positiveNumber('--target-precision'),
    )
    .option('--cache-dir <dir>', 'cache folder; default $PLEXUS_CACHE_DIR or ~/.cache/plexus')
    .action(async (scorecard: string, flags: CalibrateFlags) => {
      if (flags.method !== 'isotonic' && flags.method !== 'platt')
        throw new InvalidConfigError([
          { path: '--method', message: `expected isotonic or platt, got "${flags.method}"` },
        ]);
      if (flags.testFraction >= 1)
        throw new InvalidConfigError([
          { path: '--test-fraction', message: 'a share between 0 and 1, e.g. 0.3' },
        ]);
      // A precision above 1 is never reached: refused before the data is scored.
      if (flags.targetPrecision !== undefined && flags.targetPrecision > 1)
        throw new InvalidConfigError([
          {
            path: '--target-precision',
            message: `a precision from 0 to 1, e.g. 0.95; got ${flags.targetPrecision}`,
          },
        ]);
      const path = resolve(scorecard);
      const raw = await rawAnswers(path, flags);
      const fit = fitCalibration(raw.answers, {
        method: flags.method,
        seed: flags.seed,
        testFraction: flags.testFraction,
        targetPrecision: flags.targetPrecision,
      });
      const file = await writeCalibration(path, flags, fit, raw);
      io.stdout(report(fit, flags, file, raw));
    });
}
