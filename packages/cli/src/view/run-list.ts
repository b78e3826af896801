import { type Dirent, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  effectiveRunInfo,
  errorMessage,
  InvalidConfigError,
  type RunInfo,
  type RunMetricsFile,
  type RunStatus,
  shellWord,
} from '@plexus/core';

/** One score's headline numbers, from `metrics.json` (absent while a run has none). */
export interface ScoreHeadline {
  name: string;
  /** Items in the metrics: scored `ok` with a gold label. */
  n: number;
  accuracy: number | null;
  f1_macro: number | null;
  errors: number;
  unlabeled: number;
}

/** A run folder under the runs folder, as `plexus runs` and `plexus view` list it. */
export interface RunEntry {
  /** The folder's name under the runs folder. */
  name: string;
  dir: string;
  scorecard: string;
  started_at: string;
  ended_at: string | null;
  /** A run left `running` by a process that died reads as `interrupted`. */
  status: RunStatus;
  error: string | null;
  /** Items scored; null while the run is going (counted at its end). */
  items: number | null;
  /** Per score; empty when the run has no `metrics.json` yet (see `metrics`). */
  scores: ScoreHeadline[];
  /**
   * Whether `metrics.json` was read: `absent` while running, when the run ended before writing it,
   * or when it is of an earlier end (a resumed run killed again).
   */
  metrics: 'final' | 'absent';
}

/** A folder that has a `run.json` that cannot be read: listed, never silently left out. */
export interface RunProblem {
  name: string;
  message: string;
}

export interface RunList {
  root: string;
  runs: RunEntry[];
  problems: RunProblem[];
}

function headlines(metrics: RunMetricsFile): ScoreHeadline[] {
  return Object.entries(metrics.scores).map(([name, score]) => ({
    name,
    n: score.n,
    accuracy: score.accuracy,
    f1_macro: score.f1?.macro ?? null,
    errors: score.n_errors,
    unlabeled: score.n_unlabeled,
  }));
}

/**
 * Whether metrics.json was written when the run last ended: a run ends by writing it, then its
 * end time; a run killed (or abandoned) after a resume keeps the metrics.json of an earlier end.
 */
export function metricsOfLastEnd(dir: string, info: RunInfo): boolean {
  if (info.status === 'running' || info.ended_at === null) return false;
  try {
    return statSync(join(dir, 'metrics.json')).mtimeMs >= Date.parse(info.ended_at) - 1000;
  } catch {
    return false;
  }
}

/**
 * Whether run.json's counts are the run's: not while it runs, nor when it never ended (a process
 * killed with SIGKILL or out of memory leaves the counts it started with: 0, or a resumed run's
 * earlier ones), nor when its end could not count them and no metrics.json says.
 */
function countsKnown(info: RunInfo, metrics?: RunMetricsFile): boolean {
  if (info.status === 'running' || !info.ended_at) return false;
  return !(info.counts_unknown && !metrics);
}

/**
 * A `metrics.json` text as metrics, or undefined when it is not JSON or not their shape (`{}`, a
 * score that is null: another tool's file, a hand edit), as if it were absent: one such folder
 * made the whole run list fail ("Cannot convert undefined or null to object").
 */
export function metricsFromText(text: string): RunMetricsFile | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const scores = (parsed as { scores?: unknown } | null)?.scores;
  if (typeof scores !== 'object' || scores === null || Array.isArray(scores)) return undefined;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null;
  return Object.values(scores).every(isObject) ? (parsed as RunMetricsFile) : undefined;
}

async function readMetrics(dir: string): Promise<RunMetricsFile | undefined> {
  try {
    return metricsFromText(await readFile(join(dir, 'metrics.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Reads one run folder's entry; undefined when the folder holds no `run.json`. */
export async function readRunEntry(
  root: string,
  name: string,
): Promise<RunEntry | RunProblem | undefined> {
  const dir = join(root, name);
  let text: string;
  try {
    text = await readFile(join(dir, 'run.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { name, message: `run.json cannot be read (${errorMessage(error)})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { name, message: `run.json is not valid JSON (${errorMessage(error)})` };
  }
  // `{}` or `null` (another tool's file, a hand edit) made the whole list fail.
  const fields = (parsed ?? {}) as { status?: unknown; started_at?: unknown };
  if (typeof fields.status !== 'string' || typeof fields.started_at !== 'string')
    return { name, message: 'run.json is not a Plexus run\'s: it has no "status" or "started_at"' };
  let info: RunInfo;
  try {
    info = effectiveRunInfo(dir, parsed as RunInfo);
  } catch (error) {
    return { name, message: `run.json cannot be read (${errorMessage(error)})` };
  }
  const metrics = metricsOfLastEnd(dir, info) ? await readMetrics(dir) : undefined;
  return {
    name,
    dir,
    scorecard: info.scorecard?.name ?? '',
    started_at: info.started_at ?? '',
    ended_at: info.ended_at ?? null,
    status: info.status,
    error: info.error ?? null,
    items: countsKnown(info, metrics) ? (metrics?.items ?? info.counts?.items ?? null) : null,
    scores: metrics ? headlines(metrics) : [],
    metrics: metrics ? 'final' : 'absent',
  };
}

/** The run folders directly under `root`, newest first (by start time, then name). */
export async function listRuns(root: string): Promise<RunList> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw new InvalidConfigError([
      {
        path: root,
        message: `cannot list the runs folder (${errorMessage(error)}); runs are written under runs/ by plexus evaluate, or name the folder: plexus runs DIR`,
      },
    ]);
  }
  const runs: RunEntry[] = [];
  const problems: RunProblem[] = [];
  const names = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
  for (const name of names) {
    const entry = await readRunEntry(root, name);
    if (entry === undefined) continue;
    if ('message' in entry) problems.push(entry);
    else runs.push(entry);
  }
  // Links to run folders are said, not listed (`plexus view` skipped them in silence).
  problems.push(...linkedRuns(root));
  runs.sort(
    (left, right) =>
      right.started_at.localeCompare(left.started_at) || left.name.localeCompare(right.name),
  );
  return { root, runs, problems };
}

/**
 * Links to run folders among the runs (`runs/best -> /data/runs/v3`): the list is of folders, and
 * left them out without a word. A link to a run of this folder names it; a dangling link or one to
 * anything but a run is no run.
 */
export function linkedRuns(root: string): RunProblem[] {
  let names: string[];
  let here: string;
  try {
    names = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isSymbolicLink() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
    here = realpathSync(root);
  } catch {
    return [];
  }
  const problems: RunProblem[] = [];
  for (const name of names) {
    let target: string;
    try {
      target = realpathSync(join(root, name));
    } catch {
      continue; // dangling
    }
    if (!existsSync(join(target, 'run.json'))) continue;
    const parent = dirname(target);
    problems.push({
      name,
      message:
        parent === here
          ? `a link to the run ${basename(target)} of this folder, listed under that name`
          : `a link to ${target}, a run folder outside ${root}: runs are listed where they are (plexus runs ${shellWord(parent)})`,
    });
  }
  return problems;
}
