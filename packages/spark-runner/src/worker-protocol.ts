// The worker's stdin/stdout protocol with the PySpark job (python/plexus_spark_job.py).
//
// In: blocks of rows, each a header line `{"first": N, "count": K}` and then K lines, each row as
// the text of one JSON object (a JSONL line as Spark read it, or a Parquet/CSV row turned into
// JSON by Spark's `to_json`): row N, N+1, ... The job writes a whole Arrow batch as one block.
// Out: one flat JSON line per item and score with the columns of the job's Parquet output
// (`probabilities`, `error` and `trace` as JSON strings), so that the job converts whole blocks
// of lines to Arrow at once (pyarrow's JSON reader) with no per-row Python work.
import { jsonlRow, type RawRow, type ResultLine } from '@plexus/core';

/**
 * Turns the worker's input lines into rows: reads each block's header, then its rows, parsed as
 * in-process JSONL reading does (blank lines skipped, a line that is not a JSON object a problem).
 */
export async function* workerRows(lines: AsyncIterable<string>): AsyncGenerator<RawRow> {
  let next = 0;
  let left = 0;
  for await (const text of lines) {
    if (left === 0) {
      if (text.trim() === '') continue;
      const header = JSON.parse(text) as { first?: unknown; count?: unknown };
      if (!Number.isInteger(header.first) || !Number.isInteger(header.count))
        throw new Error(
          `expected a block header {"first": N, "count": K}, read: ${text.slice(0, 80)}`,
        );
      next = header.first as number;
      left = header.count as number;
      continue;
    }
    const line = next;
    next += 1;
    left -= 1;
    const row = jsonlRow(text, line);
    if (row) yield row;
  }
  if (left > 0) throw new Error(`the input ended ${left} rows before the end of its last block`);
}

const jsonColumns = ['probabilities', 'error', 'trace'] as const;

/** A result line as a row of the job's output: JSON fields as strings, nothing else added. */
export function sparkRow(line: ResultLine): Record<string, unknown> {
  const row: Record<string, unknown> = {
    item_id: line.item_id,
    score: line.score,
    value: line.value,
    status: line.status,
    label: line.label,
    correct: line.correct,
    explanation: line.explanation,
    confidence: line.confidence,
    cost_usd: line.cost_usd,
    input_tokens: line.input_tokens,
    output_tokens: line.output_tokens,
    llm_calls: line.llm_calls,
    retries: line.retries,
    latency_ms: line.latency_ms,
    cached: line.cached,
  };
  for (const name of jsonColumns) {
    const value = line[name];
    row[name] = value === undefined || value === null ? null : JSON.stringify(value);
  }
  return row;
}

/** A row that could not become an item, as a row of the job's output. */
export function problemRow(problem: { line: number; message: string }): Record<string, unknown> {
  return {
    item_id: null,
    score: null,
    status: 'error',
    problem_line: problem.line,
    problem_message: problem.message,
  };
}

/**
 * Writes JSON lines to a stream in chunks: the lines of one event-loop turn (or 64 KB of them)
 * in one write, not one write per line; `write` waits while the stream is full.
 */
export function lineWriter(stream: NodeJS.WritableStream): {
  write(value: unknown): Promise<void> | undefined;
  flush(): Promise<void> | undefined;
} {
  let lines: string[] = [];
  let size = 0;
  let scheduled = false;
  let full: Promise<void> | undefined;
  const flush = (): Promise<void> | undefined => {
    if (lines.length > 0) {
      const chunk = `${lines.join('\n')}\n`;
      lines = [];
      size = 0;
      if (!stream.write(chunk) && !full)
        full = new Promise((resolve) =>
          stream.once('drain', () => {
            full = undefined;
            resolve();
          }),
        );
    }
    return full;
  };
  return {
    write(value) {
      const text = JSON.stringify(value);
      lines.push(text);
      size += text.length;
      if (size >= 64 * 1024) return flush();
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
      return full;
    },
    flush,
  };
}
