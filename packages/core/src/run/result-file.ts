import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ResultLine } from './result-line.js';

/** The lines of a `results.jsonl`, streamed; a line a crash cut short is not a result and is skipped. */
export async function* readResultLines(path: string): AsyncGenerator<ResultLine> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const text of lines) {
    let line: ResultLine;
    try {
      line = JSON.parse(text) as ResultLine;
    } catch {
      continue;
    }
    yield line;
  }
}
