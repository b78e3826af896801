import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { type RunInfo, type RunMetricsFile, readRunInfo, type ScoreMetrics } from '@plexus/core';
import { type ItemText, type ItemTexts, itemTexts, keptIndexes } from './item-texts.js';
import { ResultIndex, type ScoreNormalization } from './result-index.js';
import { metricsFromText, metricsOfLastEnd } from './run-list.js';
import { type RunScoring, runScoring } from './run-scoring.js';

/** A run folder the viewer may read: directly under the runs folder, no way out of it. */
export interface OpenedRun {
  name: string;
  dir: string;
  info: RunInfo;
  index: ResultIndex;
  texts: ItemTexts;
  /** How its scores compare labels (from its scorecard copy), for the live metrics. */
  scoring: RunScoring;
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

const indexes = new Map<string, ResultIndex>();

/**
 * The index of a results file, built once and kept while the file is unchanged; lines appended
 * since the last request are added; a replaced file, or scores that now compare labels otherwise
 * (a resume with an edited scorecard), is indexed again. The `keptIndexes` last used are kept.
 */
export function resultIndex(path: string, scores: readonly ScoreNormalization[] = []): ResultIndex {
  let index = indexes.get(path);
  const changed = index && JSON.stringify(index.normalizations) !== JSON.stringify(scores);
  if (!index || changed || index.replaced()) index = new ResultIndex(path, scores);
  indexes.delete(path);
  indexes.set(path, index);
  while (indexes.size > keptIndexes) indexes.delete(indexes.keys().next().value!);
  index.refresh();
  return index;
}

/** An item's text: from its result lines, else from the dataset (older runs). */
export function textOf(run: Pick<OpenedRun, 'index' | 'texts'>, id: string): ItemText | undefined {
  const item = run.index.itemNumbers.get(id);
  return (item === undefined ? undefined : run.index.textOfItem(item)) ?? run.texts.texts.get(id);
}

/** Opens a run for a page: its run.json, the index of its results and its item texts. */
export async function openRun(root: string, name: string): Promise<OpenedRun | undefined> {
  const dir = runFolder(root, name);
  if (!dir) return undefined;
  const info = await readRunInfo(dir);
  const results = runFile(dir, 'results.jsonl');
  if (!results) return undefined;
  const scoring = runScoring(dir);
  const index = resultIndex(results, scoring.scores);
  const texts = itemTexts(dir, info);
  return { name, dir, info, index, texts, scoring };
}

/** The run's metrics, where they come from, and what a page must say beside them. */
export interface RunMetricsView {
  metrics: Record<string, ScoreMetrics>;
  source: 'final' | 'live';
  /**
   * The folder's metrics.json (of any end) is of a Plexus that counted a call to a model without a
   * price as $0: the live costs cannot be trusted either (see `costText`).
   */
  olderRun: boolean;
}

async function readMetricsFile(path: string | undefined): Promise<RunMetricsFile | undefined> {
  if (!path) return undefined;
  try {
    // Not metrics (`{}`, a null score): computed from the results, as for a run without the file.
    return metricsFromText(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The run's metrics: metrics.json of its last end, else computed from its results so far. */
export async function runMetrics(run: OpenedRun): Promise<RunMetricsView> {
  const file = await readMetricsFile(runFile(run.dir, 'metrics.json'));
  const olderRun = file !== undefined && !Array.isArray(file.cost?.unpriced_models);
  if (file && metricsOfLastEnd(run.dir, run.info))
    return { metrics: file.scores, source: 'final', olderRun };
  // no metrics.json of the last end (the run is going, or ended before writing it): from its results
  return { metrics: run.index.metrics.finish(0), source: 'live', olderRun };
}
