import { join } from 'node:path';
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
import { withGold } from '../dataset/item-gold.js';
import type { DatasetFormat } from '../dataset/row-sources.js';
import { firstItems, sampleItems, stratifiedSample } from '../dataset/sampling.js';
import { resultLineBatches } from '../engine/engine.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import { selectScores } from '../scorecard/score-selection.js';
import type { RunSummaryV1 } from '../spec/run-sink-spec.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { type CoreSinks, callbackSink, coreSinks, RunFolderSink } from './core-sinks.js';
import type { EvaluateOptions } from './evaluate-options.js';
import { externalLines } from './external-results.js';
import { defaultItemTextChars } from './line-storage.js';
import type { ResultLine } from './result-line.js';
import { endRun, type LineSource, type SourceCounts } from './run-end.js';
import { datasetPath, openRun } from './run-opening.js';
import { countedBefore, type RunProvenance, rowsUnknown } from './run-provenance.js';
import { narrowedSelection, resumedSelection } from './run-selection.js';
import { readRunInfo } from './run-state.js';
import { type OpenedRun, streamLines } from './run-stream.js';
import { checkSinks, SinkSet } from './sink-set.js';

export type { EvaluateOptions } from './evaluate-options.js';

/** What a run ended with (see `RunSummaryV1`). */
export type RunSummary = RunSummaryV1;

/** Why a run was interrupted, when the signal that stopped it gave a reason in words. */
function interruption(options: EvaluateOptions): string | undefined {
  for (const signal of [options.drain, options.signal]) {
    if (signal?.aborted && typeof signal.reason === 'string')
      return `interrupted: ${signal.reason}`;
  }
  return undefined;
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
    onReplaced: (line) => core.metrics.addReplaced(line),
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
