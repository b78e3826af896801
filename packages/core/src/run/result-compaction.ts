import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { redact } from '../common/secrets.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { hasName, nameRecord, nameRecordOf, nameValue } from '../text/name-records.js';
import { ReplacedLines } from './replaced-lines.js';
import { readResultLines } from './result-file.js';
import { outputOfLine, type ResultLine } from './result-line.js';

/** How a resume treats the stored results (see `RunFolder.resume`). */
export interface ResumeOptions {
  /** Score again the items whose result is `error` (budget_exhausted included); `ok` ones stay. */
  retryErrors?: boolean;
  /** Direct dependencies per score: a `skipped` result downstream of a retried error is retried too. */
  dependsOn?: ReadonlyMap<string, readonly string[]>;
  /**
   * Why a stored line is not one Plexus writes (see `storedLineProblem`), or undefined: such a line
   * is dropped and its item scored again.
   */
  check?: (line: ResultLine) => string | undefined;
  /**
   * Each line of `replaced.jsonl` (results a resume scored again, this one's and earlier ones'),
   * after the rewrite: what they paid is the run's (see `RunMetrics.addReplaced`).
   */
  onReplaced?: (line: ResultLine) => void;
  /** Each stored line of a score whose fingerprint changed since it was written (see below). */
  onChanged?: (line: ResultLine) => void;
}

/** Lines per write while rewriting. */
const linesPerWrite = 256;

/**
 * What an item whose every score is stored maps to: the scores' names, not their outputs (nothing
 * is left to score for it). Keeping each output of a million-item run took 2 GB on --resume.
 */
function completeRecord(fingerprints: Readonly<Record<string, string>>) {
  const done: ScoreOutputV1 = Object.freeze({ value: null, status: 'skipped' });
  return Object.freeze(nameRecordOf(Object.keys(fingerprints).map((name) => [name, done])));
}

/**
 * Rewrites `results.jsonl` with the lines a resume keeps (see `RunFolder.resume`), in batches,
 * to a new file renamed over the old one; returns the kept outputs per item (one whose every score
 * is kept: `completeRecord`, names only).
 */
export async function compactResults(
  dir: string,
  storedFingerprints: Readonly<Record<string, string>>,
  fingerprints: Readonly<Record<string, string>>,
  onLine: (line: ResultLine) => void,
  options: ResumeOptions,
): Promise<Map<string, Record<string, ScoreOutputV1>>> {
  const outputs = new Map<string, Record<string, ScoreOutputV1>>();
  const complete = completeRecord(fingerprints);
  const scoreCount = Object.keys(fingerprints).length;
  // Per item, the scores whose results are scored again: what is skipped downstream goes too.
  const retried = new Map<string, Set<string>>();
  // Per item, the scores whose lines the check refused: everything downstream goes too.
  const dropped = new Map<string, Set<string>>();
  const resultsPath = join(dir, 'results.jsonl');
  const compacted = `${resultsPath}.resume`;
  const replaced = new ReplacedLines(dir);
  replaced.recover(existsSync(compacted));
  const fd = openSync(compacted, 'w');
  let batch: string[] = [];
  const write = () => {
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
    batch = [];
  };
  try {
    if (existsSync(resultsPath)) {
      for await (const line of readResultLines(resultsPath)) {
        if (nameValue(storedFingerprints, line.score) !== nameValue(fingerprints, line.score)) {
          // A result of a score edited since (or of one not run now): scored again, paid for.
          replaced.add(line);
          options.onChanged?.(line);
          continue;
        }
        // Keyed by score names (`toString`, `__proto__` are names too): no prototype.
        const stored = outputs.get(line.item_id) ?? nameRecord<ScoreOutputV1>();
        if (hasName(stored, line.score)) continue;
        // A line the check refuses is scored again, and so is every line downstream of it: their
        // answers were given from the refused one's.
        if (options.check?.(line) !== undefined || dependsOnAny(line, dropped, options.dependsOn)) {
          markScore(dropped, line);
          continue;
        }
        if (options.retryErrors && isRetried(line, retried, options.dependsOn)) {
          replaced.add(line);
          continue;
        }
        stored[line.score] = outputOfLine(line);
        outputs.set(line.item_id, Object.keys(stored).length === scoreCount ? complete : stored);
        batch.push(redact(JSON.stringify(line)));
        if (batch.length >= linesPerWrite) write();
        onLine(line);
      }
    }
    write();
    replaced.close();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    replaced.close();
  }
  await rename(compacted, resultsPath);
  syncFolder(dir);
  // Added once the rewrite that dropped them is in place: never counted twice.
  replaced.commit();
  if (options.onReplaced) await replaced.read(options.onReplaced);
  return outputs;
}

/** Whether the line's score depends directly on a score marked for its item. */
function dependsOnAny(
  line: ResultLine,
  marked: Map<string, Set<string>>,
  dependsOn: ReadonlyMap<string, readonly string[]> | undefined,
): boolean {
  const scores = marked.get(line.item_id);
  return (
    scores !== undefined &&
    (dependsOn?.get(line.score) ?? []).some((dependency) => scores.has(dependency))
  );
}

/** Marks the line's score for its item. */
function markScore(marked: Map<string, Set<string>>, line: ResultLine): void {
  const scores = marked.get(line.item_id);
  if (scores) scores.add(line.score);
  else marked.set(line.item_id, new Set([line.score]));
}

/** With --retry-errors: an error, or a skip downstream of a retried score, is scored again. */
function isRetried(
  line: ResultLine,
  retried: Map<string, Set<string>>,
  dependsOn: ReadonlyMap<string, readonly string[]> | undefined,
): boolean {
  const retry =
    line.status === 'error' ||
    (line.status === 'skipped' && dependsOnAny(line, retried, dependsOn));
  if (retry) markScore(retried, line);
  return retry;
}

/** Makes a rename in `dir` durable (best effort: some file systems refuse to sync a folder). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here
  }
}
