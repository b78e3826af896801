import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { type RunInfo, type RunMetricsFile, readRunInfo, type ScoreMetrics } from '@plexus/core';
import { type ItemText, type ItemTexts, itemTexts } from './item-texts.js';
import { type ResultIndex, resultIndex } from './result-index.js';
import { metricsOfLastEnd } from './run-list.js';

/** A run folder the viewer may read: directly under the runs folder, no way out of it. */
export interface OpenedRun {
  name: string;
  dir: string;
  info: RunInfo;
  index: ResultIndex;
  texts: ItemTexts;
}

/**
 * The folder of run `name` under `root`, or undefined (the page answers 404) when the name is not
 * one plain folder name (`..`, `a/b`, an absolute path, a NUL), when the folder, after symlinks,
 * is not directly in the runs folder, or when it holds no run.json.
 */
export function runFolder(root: string, name: string): string | undefined {
  if (name === '' || name === '.' || name === '..' || name.startsWith('.')) return undefined;
  if (/[/\\\0]/.test(name) || isAbsolute(name)) return undefined;
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, name));
  } catch {
    return undefined;
  }
  if (dirname(real) !== realRoot || !real.startsWith(realRoot + sep)) return undefined;
  try {
    if (!statSync(real).isDirectory() || !runFile(real, 'run.json')) return undefined;
  } catch {
    return undefined;
  }
  return real;
}

/**
 * The path of file `name` of a run folder when it is a file in that folder, after symlinks (a
 * `report.html` linked to a file elsewhere is not served); undefined otherwise.
 */
export function runFile(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  try {
    const real = realpathSync(path);
    return dirname(real) === dir && statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** An item's text: from its result lines, else from the dataset (older runs). */
export function textOf(run: Pick<OpenedRun, 'index' | 'texts'>, id: string): ItemText | undefined {
  const item = run.index.itemNumbers.get(id);
  return (item === undefined ? undefined : run.index.textOfItem[item]) ?? run.texts.texts.get(id);
}

/** Opens a run for a page: its run.json, the index of its results and its item texts. */
export async function openRun(root: string, name: string): Promise<OpenedRun | undefined> {
  const dir = runFolder(root, name);
  if (!dir) return undefined;
  const info = await readRunInfo(dir);
  const results = runFile(dir, 'results.jsonl');
  if (!results) return undefined;
  const index = resultIndex(results);
  const texts = itemTexts(dir, info);
  return { name, dir, info, index, texts };
}

/** The run's metrics: metrics.json of its last end, else computed from its results so far. */
export async function runMetrics(
  run: OpenedRun,
): Promise<{ metrics: Record<string, ScoreMetrics>; source: 'final' | 'live' }> {
  const path = runFile(run.dir, 'metrics.json');
  if (path && metricsOfLastEnd(run.dir, run.info)) {
    try {
      const file = JSON.parse(await readFile(path, 'utf8')) as RunMetricsFile;
      return { metrics: file.scores, source: 'final' };
    } catch {
      // no metrics.json (the run ended before writing it): computed from its results
    }
  }
  return { metrics: run.index.metrics.finish(0), source: 'live' };
}
