import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { collectCacheWarnings, directoryCache, type ResultCache } from './cache.js';
import { defaultCacheDir } from './cache-dir.js';
import {
  type DatasetItem,
  type DatasetProblem,
  goldColumns,
  readDataset,
} from './dataset/dataset.js';
import type { DatasetFormat } from './dataset/row-sources.js';
import { resultLines } from './engine.js';
import { errorMessage, InvalidConfigError } from './errors.js';
import { type GoldSource, withGold } from './item-gold.js';
import { type ExternalLine, replayResults } from './external-results.js';
import type { LoadedScore, LoadedScorecard } from './loaded-scorecard.js';
import type { ScoreMetrics } from './metrics/score-metrics.js';
import { ReportRows } from './report/report-data.js';
import { writeReport } from './report/write-report.js';
import type { ResultLine } from './result-line.js';
import { RunFolder, type RunInfo, type RunStatus } from './run-folder.js';
import { RunMetrics } from './run-metrics.js';
import { countedBefore, RunProvenance, rowsUnknown } from './run-provenance.js';
import { readRunInfo } from './run-state.js';
import { firstItems, sampleItems, stratifiedSample } from './sampling.js';
import { selectScores } from './score-selection.js';
import type { ScoreOutputV1 } from './score-spec.js';

export interface EvaluateOptions {
  scorecard: LoadedScorecard;
  /** Dataset path; default the scorecard's `data.path` (relative to the scorecard). */
  data?: string;
  /** Run only these scores (and what they depend on). */
  scores?: readonly string[];
  /** Score only the first N items. */
  limit?: number;
  /** Score a seeded random sample of N items; with `stratify`, keeping that score's gold label proportions. */
  sample?: { size: number; seed: number; stratify?: string };
  /** `doScore` calls in flight per score; default 4. */
  concurrency?: number;
  /** Items in flight; default 256. */
  window?: number;
  /** Run folder; default `runs/<timestamp>-<scorecard key>` under the cwd. */
  outDir?: string;
  /** Continue the run in this folder. */
  resumeDir?: string;
  /** With `resumeDir`: score again the items whose result is `error`; `ok` results are kept. */
  retryErrors?: boolean;
  /** Use the result cache; default true. */
  cache?: boolean | ResultCache;
  cacheDir?: string;
  /** Abandons the run at once (calls in flight cancelled); the run is `interrupted`. */
  signal?: AbortSignal;
  /** Stops starting work, lets calls in flight finish and be stored; the run is `interrupted`. */
  drain?: AbortSignal;
  onResult?: (line: ResultLine) => void;
  onDatasetProblem?: (problem: DatasetProblem) => void;
  /** Clock, for tests. */
  now?: () => Date;
  /** Seed of the bootstrap intervals in the metrics; default 0. */
  seed?: number;
  /** Id of a new run (trackers find the run by it); default a random UUID. */
  runId?: string;
  /**
   * Results computed elsewhere (Spark): stored, measured and reported like the engine's, with the
   * same run folder; the dataset is not read and nothing is scored here.
   */
  results?: AsyncIterable<ExternalLine>;
  /**
   * Gold labels from elsewhere than the dataset for some scores (reviewers' labels: `feedbackGold`
   * of `@plexus/feedback`, `plexus evaluate --gold feedback`), set on each item before sampling.
   */
  gold?: GoldSource;
}

export interface RunSummary {
  dir: string;
  /** Path of `report.html`, or null when it could not be written (see `reportError`). */
  report: string | null;
  reportError?: string;
  /** Problems that did not change the results (a cache that could not write), as in run.json. */
  warnings?: string[];
  status: RunStatus;
  items: number;
  results: number;
  errors: number;
  skipped: number;
  malformedRows: number;
  cacheHits: number;
  durationS: number;
  /** Metrics per score, as in `metrics.json`. */
  scores: Record<string, ScoreMetrics>;
  /** US dollars; null when some calls have no price (see `unpricedModels`). */
  costUsd: number | null;
  /** The models whose calls have no price. */
  unpricedModels: string[];
  llmCalls: number;
  /** Calls repeated after retryable failures (429, 5xx, timeouts, resets). */
  retries: number;
  error?: string;
}

function datasetPath(options: EvaluateOptions): string {
  if (options.data) return resolve(options.data);
  const fromCard = options.scorecard.data?.path;
  if (fromCard) return resolve(options.scorecard.baseDir, fromCard);
  throw new InvalidConfigError([
    { path: '--data', message: 'no dataset: pass --data FILE or set data.path in the scorecard' },
  ]);
}

/** Why a run was interrupted, when the signal that stopped it gave a reason in words. */
function interruption(options: EvaluateOptions): string | undefined {
  for (const signal of [options.drain, options.signal]) {
    if (signal?.aborted && typeof signal.reason === 'string')
      return `interrupted: ${signal.reason}`;
  }
  return undefined;
}

/** Direct dependencies per score, for a resume that retries errors. */
function dependencyMap(scores: readonly LoadedScore[]): Map<string, string[]> {
  return new Map(
    scores.map((entry) => [entry.name, entry.dependsOn.map((dependency) => dependency.score)]),
  );
}

function defaultRunDir(key: string, now: Date): string {
  return join('runs', `${now.toISOString().replace(/[:.]/g, '-')}-${key}`);
}

/**
 * Scores a dataset with a scorecard and writes a run folder. Resolves when the run ends,
 * with status `completed`, `interrupted` (aborted) or `failed`; bad input throws `InvalidConfigError`.
 */
export async function evaluate(options: EvaluateOptions): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const { scorecard } = options;
  const scores = selectScores(scorecard.scores, options.scores);
  // A resumed run goes on with the dataset it started with, unless `data` names another.
  let path = options.resumeDir && !options.data ? undefined : datasetPath(options);
  const fingerprints = Object.fromEntries(scores.map((entry) => [entry.name, entry.fingerprint]));
  const metrics = new RunMetrics(scores);
  // Rows for the report, collected as lines are written: no second pass over results.jsonl.
  const reportRows = new ReportRows();
  const started = now();
  const dir = options.resumeDir ?? options.outDir ?? defaultRunDir(scorecard.key, started);
  let folder: RunFolder;
  let prior = new Map<string, Record<string, ScoreOutputV1>>();
  const stratify = options.sample?.stratify;
  // Checked before the run folder is created or locked.
  if (stratify !== undefined && !scores.some((entry) => entry.name === stratify)) {
    throw new InvalidConfigError([
      {
        path: '--stratify',
        message: `no score named "${stratify}" (scores: ${scores.map((entry) => entry.name).join(', ')})`,
      },
    ]);
  }
  // The dataset's hash, rows and gold digests, recorded in run.json at the end.
  const provenance = new RunProvenance();
  if (options.resumeDir) {
    const recorded = (await readRunInfo(options.resumeDir, '--resume')).data;
    path ??= recorded.path;
    await provenance.checkDataset(path, recorded);
    const resumed = await RunFolder.resume(
      options.resumeDir,
      fingerprints,
      (line) => {
        metrics.add(line);
        reportRows.add(line);
        provenance.add(line);
      },
      { retryErrors: options.retryErrors, dependsOn: dependencyMap(scores) },
    );
    folder = resumed.folder;
    prior = resumed.stored.outputs;
  } else {
    path ??= datasetPath(options);
    const info: RunInfo = {
      version: 1,
      id: options.runId ?? randomUUID(),
      scorecard: {
        name: scorecard.name,
        key: scorecard.key,
        path: scorecard.path,
        hash: scorecard.hash,
      },
      fingerprints,
      data: { path },
      options: {
        scores: options.scores ?? null,
        limit: options.limit ?? null,
        sample: options.sample ?? null,
      },
      status: 'running',
      started_at: started.toISOString(),
      ended_at: null,
      duration_s: null,
      counts: { items: 0, results: 0, errors: 0, skipped: 0, malformed_rows: 0, cache_hits: 0 },
      error: null,
    };
    folder = await RunFolder.create(dir, info, scorecard);
  }

  let malformedRows = 0;
  let items = 0;
  const gold = goldColumns(scores);
  const format = scorecard.data?.format as DatasetFormat | undefined;
  let source: AsyncIterable<DatasetItem> = readDataset({
    path,
    format,
    onBytes: provenance.hashDataset(path, format, options.results !== undefined),
    idColumn: scorecard.data?.id_column,
    textColumn: scorecard.data?.text_column,
    gold,
    onProblem: (problem) => {
      malformedRows += 1;
      folder.problem(problem);
      options.onDatasetProblem?.(problem);
    },
  });
  if (options.gold) source = withGold(source, options.gold);
  const sample = options.sample;
  // Items read from the dataset before a sample (its rows), and whether it was read to the end.
  let readItems = 0;
  if (sample) source = countedBefore(source, () => (readItems += 1));
  if (sample?.stratify !== undefined) {
    const stratify = sample.stratify;
    source = stratifiedSample(source, {
      size: sample.size,
      seed: sample.seed,
      labelOf: (item) => item.labels[stratify],
    });
  } else if (sample) {
    source = sampleItems(source, sample.size, sample.seed);
  }
  if (options.limit !== undefined) source = firstItems(source, options.limit);
  let readToEnd = false;
  const counted = (async function* () {
    for await (const item of source) {
      items += 1;
      yield item;
    }
    readToEnd = options.limit === undefined || items < options.limit;
  })();

  const cache =
    options.cache === false
      ? undefined
      : typeof options.cache === 'object'
        ? options.cache
        : directoryCache<ScoreOutputV1>(join(options.cacheDir ?? defaultCacheDir(), 'results'));
  const cacheWarnings = collectCacheWarnings(options.cacheDir ?? defaultCacheDir());
  // Spark read the dataset: its replay reads no rows here.
  let status: RunStatus = 'completed';
  let failure: string | undefined;
  try {
    const lines = options.results
      ? replayResults(options.results, {
          onProblem: (problem) => {
            malformedRows += 1;
            folder.problem(problem);
            options.onDatasetProblem?.(problem);
          },
          onItem: () => {
            items += 1;
          },
        })
      : resultLines({
          scores,
          items: counted,
          scorecard: scorecard.name,
          signal: options.signal,
          drain: options.drain,
          concurrency: options.concurrency,
          window: options.window,
          cache,
          prior: (item) => prior.get(item.id),
        });
    for await (const line of lines) {
      folder.append(line);
      provenance.add(line);
      metrics.add(line);
      reportRows.add(line);
      options.onResult?.(line);
    }
    if (options.signal?.aborted || options.drain?.aborted) status = 'interrupted';
    else if (options.results) readToEnd = true;
  } catch (error) {
    if (error instanceof InvalidConfigError || (error as { exitCode?: number }).exitCode === 2) {
      folder.info.status = 'failed';
      folder.info.error = errorMessage(error);
      await folder.close();
      throw error;
    }
    status = 'failed';
    failure = errorMessage(error);
  }
  const ended = now();
  const durationS = (ended.getTime() - started.getTime()) / 1000;
  const scoreMetrics = metrics.finish(options.seed ?? 0);
  const totals = metrics.totals;
  const data = await provenance.finish(
    readToEnd
      ? (sample ? readItems : items) + malformedRows
      : { unknown: rowsUnknown(options.limit, status) },
  );
  folder.info = {
    ...folder.info,
    data: { ...folder.info.data, path, ...data },
    status,
    ended_at: ended.toISOString(),
    duration_s: durationS,
    counts: {
      items,
      results: totals.results,
      errors: totals.errors,
      skipped: totals.skipped,
      malformed_rows: malformedRows,
      cache_hits: totals.cache_hits,
    },
    error: failure ?? interruption(options) ?? null,
  };
  const warnings = cacheWarnings.stop();
  if (warnings.length > 0) folder.info.warnings = warnings;
  await folder.writeMetrics({
    scorecard: scorecard.name,
    items,
    scores: scoreMetrics,
    cost: {
      usd: totals.cost_usd,
      unpriced_models: totals.unpriced_models,
      input_tokens: totals.input_tokens,
      output_tokens: totals.output_tokens,
      llm_calls: totals.llm_calls,
      retries: totals.retries,
    },
    duration_s: durationS,
  });
  await folder.close();
  let report: string | null = null;
  let reportError: string | undefined;
  try {
    report = await writeReport(dir, { rows: reportRows });
  } catch (error) {
    // The run is complete and stored; a report can be written later with `plexus report`.
    reportError = `report.html could not be written (${errorMessage(error)}); retry with: plexus report ${dir}`;
  }
  return {
    dir,
    report,
    status,
    items,
    results: totals.results,
    errors: totals.errors,
    skipped: totals.skipped,
    malformedRows,
    cacheHits: totals.cache_hits,
    durationS,
    scores: scoreMetrics,
    costUsd: totals.cost_usd,
    unpricedModels: totals.unpriced_models,
    llmCalls: totals.llm_calls,
    retries: totals.retries,
    ...(failure ? { error: failure } : {}),
    ...(reportError ? { reportError } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
