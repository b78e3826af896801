import { type DatasetItem, readDataset } from '../dataset/dataset.js';
import type { ResultLine } from '../run/result-line.js';
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
  const items =
    options.items ??
    readDataset({
      path: options.data!,
      idColumn: options.scorecard.data?.id_column,
      textColumn: options.scorecard.data?.text_column,
      onProblem: options.onDatasetProblem,
    });
  yield* resultLines({
    scores,
    items,
    scorecard: options.scorecard.name,
    concurrency: options.concurrency,
    signal: options.signal,
  });
}
