import type { DatasetProblem } from '../dataset/dataset.js';
import { IdSet } from '../dataset/id-set.js';
import type { ResultLine } from './result-line.js';
import type { LineSource } from './run-end.js';
import { rowsUnknown } from './run-provenance.js';

/** A line computed outside this process (Spark): a result, or a row that could not be read. */
export type ExternalLine = ResultLine | { problem: DatasetProblem };

/**
 * An item source of results computed elsewhere (Spark, a batch job): `evaluate({ items:
 * externalResults(lines) })` stores, measures and reports them like the engine's, in a run folder
 * of its own; the dataset is not read (only hashed, for provenance) and nothing is scored here.
 */
export interface ExternalResults {
  readonly kind: 'external-results';
  readonly lines: AsyncIterable<ExternalLine>;
}

/** The item sources `evaluate` takes besides its dataset (`items`). */
export type ItemSource = ExternalResults;

export function externalResults(lines: AsyncIterable<ExternalLine>): ExternalResults {
  return { kind: 'external-results', lines };
}

/** Replays results computed elsewhere, counting distinct items and passing on unreadable rows. */
export async function* replayResults(
  lines: AsyncIterable<ExternalLine>,
  handlers: { onProblem: (problem: DatasetProblem) => void; onItem: () => void },
): AsyncGenerator<ResultLine> {
  const seen = new IdSet();
  for await (const line of lines) {
    if ('problem' in line) {
      handlers.onProblem(line.problem);
      continue;
    }
    if (seen.add(line.item_id)) handlers.onItem();
    yield line;
  }
}

/**
 * The lines of external results with their counts: the items are the distinct item ids; the
 * dataset's rows are known (items plus unreadable rows) once the run completed.
 */
export function externalLines(
  source: ExternalResults,
  onProblem: (problem: DatasetProblem) => void,
): LineSource {
  const counts = {
    items: 0,
    malformedRows: 0,
    rows: (status: string) =>
      status === 'completed'
        ? counts.items + counts.malformedRows
        : { unknown: rowsUnknown(undefined, status) },
  };
  const lines = replayResults(source.lines, {
    onProblem: (problem) => {
      counts.malformedRows += 1;
      onProblem(problem);
    },
    onItem: () => {
      counts.items += 1;
    },
  });
  return { lines, counts };
}
