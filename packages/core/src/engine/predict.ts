import { type DatasetItem, readDataset } from '../dataset/dataset.js';
import type { ResultLine } from '../run/result-line.js';
import { RunProvenance } from '../run/run-provenance.js';
import type { LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import { selectScores } from '../scorecard/score-selection.js';
import { resultLines } from './engine.js';

export interface PredictOptions {
  scorecard: LoadedScorecard;
  /** Items given directly, or a dataset path. */
  items?: Iterable<DatasetItem> | AsyncIterable<DatasetItem>;
  data?: string;
  scores?: readonly string[];
  concurrency?: number;
  signal?: AbortSignal;
  onDatasetProblem?: (problem: { line: number; message: string }) => void;
}

/** Scores items without writing a run folder or using the cache; yields result lines. */
export async function* predict(options: PredictOptions): AsyncGenerator<ResultLine> {
  const scores = selectScores(options.scorecard.scores, options.scores);
  // A dataset that changes while it is read is said at the end (its lines are out by then).
  const watch = options.items ? undefined : new RunProvenance();
  const items =
    options.items ??
    readDataset({
      path: options.data!,
      idColumn: options.scorecard.data?.id_column,
      textColumn: options.scorecard.data?.text_column,
      onProblem: options.onDatasetProblem,
      onBytes: watch?.hashDataset(options.data!, undefined, false),
    });
  yield* resultLines({
    scores,
    items,
    scorecard: options.scorecard.name,
    concurrency: options.concurrency,
    signal: options.signal,
  });
  if (watch === undefined || options.signal?.aborted) return;
  await watch.finish({ unknown: 'not counted' });
  if (watch.changed !== undefined)
    throw new Error(`${watch.changed}; predict it again once the file no longer changes`);
}
