import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { collectCacheWarnings, directoryCache, type ResultCache } from '../cache/cache.js';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { InvalidConfigError } from '../common/errors.js';
import {
  type DatasetItem,
  type DatasetProblem,
  goldColumns,
  readDataset,
  readDatasetBatches,
} from '../dataset/dataset.js';
import { type GoldSource, withGold } from '../dataset/item-gold.js';
import type { DatasetFormat } from '../dataset/row-sources.js';
import { firstItems, sampleItems, stratifiedSample } from '../dataset/sampling.js';
import { resultLineBatches } from '../engine/engine.js';
import type { LoadedScore, LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import { selectScores } from '../scorecard/score-selection.js';
import type { RunSinkV1, RunSummaryV1 } from '../spec/run-sink-spec.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { type CoreSinks, callbackSink, coreSinks, RunFolderSink } from './core-sinks.js';
import { externalLines, type ItemSource } from './external-results.js';
import { defaultItemTextChars } from './line-storage.js';
import type { ResultLine } from './result-line.js';
import { endRun, type LineSource, type SourceCounts } from './run-end.js';
import type { RunInfo } from './run-folder.js';
import { countedBefore, type RunProvenance, rowsUnknown } from './run-provenance.js';
import { narrowedSelection, resumedSelection } from './run-selection.js';
import { readRunInfo } from './run-state.js';
import { createRun, type OpenedRun, resumeRun, streamLines } from './run-stream.js';
import { checkSinks, SinkSet } from './sink-set.js';

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
  /** Called with each line this run stores (a sink with only `add`: the CLI's progress line). */
  onResult?: (line: ResultLine) => void;
  onDatasetProblem?: (problem: DatasetProblem) => void;
  /**
   * Problems that do not stop the run, as they are found (also in run.json's `warnings`): stored
   * results a resume scores again because they are not as Plexus writes them.
   */
  onWarning?: (message: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
  /** Seed of the bootstrap intervals in the metrics; default 0. */
  seed?: number;
  /** Id of a new run (trackers find the run by it); default a random UUID. */
  runId?: string;
  /**
   * Where the run's items come from besides the dataset: `externalResults(lines)` for results
   * computed elsewhere (Spark), stored, measured and reported like the engine's in the same kind of
   * run folder; the dataset (`data`) is then not read, only hashed, and nothing is scored here.
   */
  items?: ItemSource;
  /**
   * Sinks that receive the run as it goes (`RunSinkV1`: begin, restore, add, finish), after the
   * run folder, metrics, report rows and `onResult`: a tracker (`mlflowTracker()` from
   * `@plexus/mlflow-tracker`) or your own.
   */
  sinks?: readonly RunSinkV1[];
  /**
   * Keep LLM scores' prompts in the traces (`trace.prompts`: each call's rendered messages and raw
   * answer, 8 KB per call at most, secrets redacted); default true (`--no-trace-prompts`: false).
   */
  tracePrompts?: boolean;
  /** Characters of each item's text kept on its first result line (`text`); default 2,000, 0 for none. */
  itemTextChars?: number;
  /**
   * Gold labels from elsewhere than the dataset for some scores (reviewers' labels: `feedbackGold`
   * of `@plexus/feedback`, `plexus evaluate --gold feedback`), set on each item before sampling.
   */
  gold?: GoldSource;
}

/** What a run ended with (see `RunSummaryV1`). */
export type RunSummary = RunSummaryV1;

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

function defaultRunDir(key: string, now: Date): string {
  return join('runs', `${now.toISOString().replace(/[:.]/g, '-')}-${key}`);
}

/** `--stratify` names a score of the run: checked before the run folder is created or locked. */
function checkStratify(options: EvaluateOptions, scores: readonly LoadedScore[]): void {
  const stratify = options.sample?.stratify;
  if (stratify === undefined || scores.some((entry) => entry.name === stratify)) return;
  throw new InvalidConfigError([
    {
      path: '--stratify',
      message: `no score named "${stratify}" (scores: ${scores.map((entry) => entry.name).join(', ')})`,
    },
  ]);
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
function openRun(
  options: EvaluateOptions,
  run: {
    scores: readonly LoadedScore[];
    fingerprints: Record<string, string>;
    started: Date;
    provenance: RunProvenance;
    sinks: SinkSet;
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

function resultCache(options: EvaluateOptions): ResultCache | undefined {
  if (options.cache === false) return undefined;
  if (typeof options.cache === 'object') return options.cache;
  return directoryCache<ScoreOutputV1>(join(options.cacheDir ?? defaultCacheDir(), 'results'));
}

/** The engine: scores the items (dependencies, conditions, processors, cache) into result lines. */
function engineLines(
  options: EvaluateOptions,
  scores: readonly LoadedScore[],
  source: { items: AsyncIterable<DatasetItem | readonly DatasetItem[]>; onItem?: () => void },
  prior: ((item: DatasetItem) => Record<string, ScoreOutputV1> | undefined) | undefined,
  runDir: string,
): AsyncIterable<ResultLine[]> {
  return resultLineBatches({
    scores,
    items: source.items,
    onItem: source.onItem,
    scorecard: options.scorecard.name,
    runDir,
    signal: options.signal,
    drain: options.drain,
    concurrency: options.concurrency,
    window: options.window,
    cache: resultCache(options),
    prior,
    storage: {
      tracePrompts: options.tracePrompts,
      itemTextChars: options.itemTextChars ?? defaultItemTextChars,
    },
  });
}

/** The items of a run with gold from elsewhere, a sample or a limit, one at a time. */
function chosenItems(
  options: EvaluateOptions,
  items: AsyncIterable<DatasetItem>,
  onRead: () => void,
): AsyncIterable<DatasetItem> {
  const { sample, limit } = options;
  let source = items;
  if (options.gold) source = withGold(source, options.gold);
  if (sample) source = countedBefore(source, onRead);
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
  if (limit !== undefined) source = firstItems(source, limit);
  return source;
}

/**
 * The item source of a dataset: its rows read as items (unreadable rows to `onProblem`), sampled
 * or limited, counted, then scored by the engine. The rows are known once it was read to the end.
 */
function datasetLines(
  options: EvaluateOptions,
  run: { opened: OpenedRun; scores: readonly LoadedScore[]; provenance: RunProvenance },
  onProblem: (problem: DatasetProblem) => void,
): LineSource {
  const { scorecard, sample, limit } = options;
  const { path } = run.opened;
  const format = scorecard.data?.format as DatasetFormat | undefined;
  let readItems = 0;
  let readToEnd = false;
  const counts: SourceCounts = {
    items: 0,
    malformedRows: 0,
    rows: (status) =>
      readToEnd
        ? (sample ? readItems : counts.items) + counts.malformedRows
        : { unknown: rowsUnknown(limit, status) },
  };
  const read = {
    path,
    format,
    onBytes: run.provenance.hashDataset(path, format, false),
    idColumn: scorecard.data?.id_column,
    textColumn: scorecard.data?.text_column,
    gold: goldColumns(run.scores),
    onProblem: (problem: DatasetProblem) => {
      counts.malformedRows += 1;
      onProblem(problem);
    },
  };
  // A new run has nothing stored: no lookup per item. A resume notes the items it reads.
  const { prior } = run.opened;
  const seen = new Set<string>();
  const lookup =
    prior.size > 0
      ? (item: DatasetItem) => {
          seen.add(item.id);
          return prior.get(item.id);
        }
      : undefined;
  counts.strays = () => [...prior.keys()].filter((id) => !seen.has(id));
  const lines = (items: Parameters<typeof engineLines>[2]) =>
    engineLines(options, run.scores, items, lookup, run.opened.folder.dir);
  if (!options.gold && !sample && limit === undefined) {
    // Every row in file order: the engine takes the dataset's chunks as arrays (no promise turn
    // per item) and counts each item as it takes it.
    const chunks = (async function* () {
      yield* readDatasetBatches(read);
      readToEnd = true;
    })();
    return { lines: lines({ items: chunks, onItem: () => (counts.items += 1) }), counts };
  }
  // Items read from the dataset before a sample (its rows), and whether it was read to the end.
  const source = chosenItems(options, readDataset(read), () => (readItems += 1));
  const counted = (async function* () {
    for await (const item of source) {
      counts.items += 1;
      yield item;
    }
    readToEnd = limit === undefined || counts.items < limit;
  })();
  return { lines: lines({ items: counted }), counts };
}

/** The sinks of a run, in the order each line reaches them: stored first, then read. */
function runSinks(options: EvaluateOptions, store: RunFolderSink, core: CoreSinks): SinkSet {
  checkSinks(options.sinks ?? []);
  return new SinkSet([
    store,
    ...core.sinks,
    ...(options.onResult ? [callbackSink(options.onResult)] : []),
    ...(options.sinks ?? []),
  ]);
}

/**
 * Scores a dataset with a scorecard and writes a run folder: an item source (the dataset, or
 * results computed elsewhere) → the engine → sinks (the run folder, metrics, report rows, progress,
 * trackers, yours). Resolves when the run ends, with status `completed`, `interrupted` (aborted)
 * or `failed`; bad input throws `InvalidConfigError`.
 */
export async function evaluate(given: EvaluateOptions): Promise<RunSummary> {
  // A resume keeps the run's own --score, --limit and --sample unless given again (never fewer items).
  const recorded = given.resumeDir
    ? (await readRunInfo(given.resumeDir, '--resume')).options
    : undefined;
  const narrowed = given.resumeDir ? narrowedSelection(given, recorded) : undefined;
  if (narrowed !== undefined)
    throw new InvalidConfigError([{ path: '--resume', message: narrowed }]);
  const options = given.resumeDir ? { ...given, ...resumedSelection(given, recorded) } : given;
  const now = options.now ?? (() => new Date());
  const scores = selectScores(options.scorecard.scores, options.scores);
  // Bad input first, before any folder is made: no dataset, then an unknown --stratify score.
  if (!options.resumeDir || options.data) datasetPath(options);
  checkStratify(options, scores);
  const fingerprints = Object.fromEntries(scores.map((entry) => [entry.name, entry.fingerprint]));
  const core = coreSinks(scores);
  const store = new RunFolderSink();
  const sinks = runSinks(options, store, core);
  const { provenance } = core;
  const opened = await openRun(options, {
    scores,
    fingerprints,
    started: now(),
    provenance,
    sinks,
  });
  store.folder = opened.folder;
  for (const warning of opened.warnings) options.onWarning?.(warning);
  const onProblem = (problem: DatasetProblem) => {
    opened.folder.problem(problem);
    options.onDatasetProblem?.(problem);
  };
  const source = options.items
    ? externalLines(options.items, onProblem)
    : datasetLines(options, { opened, scores, provenance }, onProblem);
  // Spark read the dataset: its bytes are hashed here by a read of their own.
  if (options.items) provenance.hashDataset(opened.path, undefined, true);
  const cacheWarnings = collectCacheWarnings(options.cacheDir ?? defaultCacheDir());
  const end = await streamLines(source.lines, sinks, {
    folder: opened.folder,
    stopped: () => options.signal?.aborted === true || options.drain?.aborted === true,
  });
  return endRun({
    run: opened,
    end,
    counts: source.counts,
    core,
    sinks,
    scorecard: options.scorecard.name,
    ended: now(),
    seed: options.seed ?? 0,
    interruption: interruption(options),
    warnings: [...opened.warnings, ...cacheWarnings.stop()],
  });
}
