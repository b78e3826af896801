import type { DatasetProblem } from './dataset/dataset.js';
import { IdSet } from './dataset/id-set.js';
import type { ResultLine } from './result-line.js';

/** A line computed outside this process (Spark): a result, or a row that could not be read. */
export type ExternalLine = ResultLine | { problem: DatasetProblem };

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
