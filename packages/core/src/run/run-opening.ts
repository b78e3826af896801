// A run's folder opened: a new one (its run.json, `running`) or the one a resume continues.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { ResultLine } from './result-line.js';
import type { RunInfo } from './run-folder.js';
import type { RunProvenance } from './run-provenance.js';
import { createRun, type OpenedRun, resumeRun } from './run-stream.js';
import type { SinkSet } from './sink-set.js';

/** The dataset a run reads: `data`, else the scorecard's `data.path` (relative to it). */
export function datasetPath(options: EvaluateOptions): string {
  if (options.data) return resolve(options.data);
  const fromCard = options.scorecard.data?.path;
  if (fromCard) return resolve(options.scorecard.baseDir, fromCard);
  throw new InvalidConfigError([
    { path: '--data', message: 'no dataset: pass --data FILE or set data.path in the scorecard' },
  ]);
}

function defaultRunDir(key: string, now: Date): string {
  return join('runs', `${now.toISOString().replace(/[:.]/g, '-')}-${key}`);
}

/** The run.json of a new run, `running`. */
function newRunInfo(
  options: EvaluateOptions,
  run: { fingerprints: Record<string, string>; path: string; started: Date },
): RunInfo {
  const { scorecard } = options;
  return {
    version: 1,
    id: options.runId ?? randomUUID(),
    scorecard: {
      name: scorecard.name,
      key: scorecard.key,
      path: scorecard.path,
      hash: scorecard.hash,
    },
    fingerprints: run.fingerprints,
    data: { path: run.path },
    options: {
      scores: options.scores ?? null,
      limit: options.limit ?? null,
      sample: options.sample ?? null,
      // Gold from elsewhere than the dataset (reviews): which, in words.
      ...(options.gold ? { gold: options.gold.name } : {}),
    },
    status: 'running',
    started_at: run.started.toISOString(),
    ended_at: null,
    duration_s: null,
    counts: { items: 0, results: 0, errors: 0, skipped: 0, malformed_rows: 0, cache_hits: 0 },
    error: null,
  };
}

/** Creates the run folder, or resumes `resumeDir`; the sinks begin once it is open. */
export function openRun(
  options: EvaluateOptions,
  run: {
    scores: readonly LoadedScore[];
    fingerprints: Record<string, string>;
    started: Date;
    provenance: RunProvenance;
    sinks: SinkSet;
    /** Each result a resume scored again (`replaced.jsonl`), for what it paid. */
    onReplaced: (line: ResultLine) => void;
  },
): Promise<OpenedRun> {
  const { scorecard } = options;
  // A resumed run goes on with the dataset it started with, unless `data` names another.
  const path = options.resumeDir && !options.data ? undefined : datasetPath(options);
  if (options.resumeDir) {
    return resumeRun({
      ...run,
      scorecard,
      dir: options.resumeDir,
      data: path,
      retryErrors: options.retryErrors,
      selection: options,
    });
  }
  const dir = options.outDir ?? defaultRunDir(scorecard.key, run.started);
  const info = newRunInfo(options, {
    fingerprints: run.fingerprints,
    path: path!,
    started: run.started,
  });
  return createRun(dir, info, scorecard, run.sinks);
}
