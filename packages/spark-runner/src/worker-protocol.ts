// The worker's stdin/stdout protocol with the PySpark job (python/plexus_spark_job.py).
//
// In: blocks of rows, each a header line `{"rows": [N...], "lines": [L...], "problems": [[I, M]...],
// "shared": [I...]}` and then one line per row, the text of one JSON object (a JSONL line as Spark read it, a Parquet
// row turned into JSON by Spark's `to_json`, a CSV row as `--parse-csv` read it): row I of the
// block is row number N (its id when the data has no id column) read from line L (the line
// problems name), or, in `problems`, a row that could not be read, with message M; rows listed in
// `shared` (optional) may repeat the id of another row of this task's input (the job groups rows
// by id: sharing_ids), and the worker checks them as a local read does. The numbers are a local
// read's (python/plexus_spark_rows.py); the job writes a whole Arrow batch as one block.
// Out: one flat JSON line per item and score with the columns of the job's Parquet output
// (`probabilities`, `error` and `trace` as JSON strings), so that the job converts whole blocks
// of lines to Arrow at once (pyarrow's JSON reader) with no per-row Python work.
import { InvalidConfigError, jsonlRow, type RawRow, type ResultLine } from '@plexus/core';

/**
 * A row of the worker's input with its row number, as a local read numbers it; `shared` when its
 * id may repeat another row's.
 */
export type WorkerRow = RawRow & { rowNumber: number; shared?: true };

interface BlockHeader {
  rows: number[];
  lines: number[];
  problems: Map<number, string>;
  shared: Set<number>;
}

function blockHeader(text: string): BlockHeader {
  const header = JSON.parse(text) as {
    rows?: unknown;
    lines?: unknown;
    problems?: unknown;
    shared?: unknown;
  };
  const { rows, lines, problems = [], shared = [] } = header;
  const numbers = (value: unknown): value is number[] =>
    Array.isArray(value) && value.every((number) => Number.isInteger(number));
  if (
    !numbers(rows) ||
    !numbers(lines) ||
    rows.length !== lines.length ||
    !Array.isArray(problems) ||
    !numbers(shared)
  )
    throw new Error(
      `expected a block header {"rows": [...], "lines": [...], "problems": [...]}, read: ${text.slice(0, 80)}`,
    );
  return {
    rows,
    lines,
    problems: new Map(problems as [number, string][]),
    shared: new Set(shared),
  };
}

/**
 * Turns the worker's input lines into rows: reads each block's header, then its rows, parsed as
 * in-process JSONL reading does (blank lines skipped, a line that is not a JSON object a problem).
 */
export async function* workerRows(lines: AsyncIterable<string>): AsyncGenerator<WorkerRow> {
  let header: BlockHeader | undefined;
  let index = 0;
  for await (const text of lines) {
    if (!header || index === header.rows.length) {
      if (text.trim() === '') continue;
      header = blockHeader(text);
      index = 0;
      continue;
    }
    const rowNumber = header.rows[index]!;
    const line = header.lines[index]!;
    const problem = header.problems.get(index);
    const shared = header.shared.has(index) ? { shared: true as const } : {};
    index += 1;
    if (problem !== undefined) yield { kind: 'error', line, message: problem, rowNumber };
    else {
      const row = jsonlRow(text, line);
      if (row) yield { ...row, rowNumber, ...shared };
    }
  }
  if (header && index < header.rows.length)
    throw new Error(
      `the input ended ${header.rows.length - index} rows before the end of its last block`,
    );
}

/**
 * A Parquet row's 64-bit integer columns (`names`), which the job sends as strings of digits, as
 * core's Parquet reader gives them: a number when it is exact (within 2^53), else the digits.
 */
export function exactIntegers(record: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    const value = Object.hasOwn(record, name) ? record[name] : undefined;
    if (typeof value !== 'string') continue;
    const number = Number(value);
    if (Number.isSafeInteger(number)) record[name] = number;
  }
}

/** The value after `name` in a worker's arguments (`process.argv`). */
function argumentOf(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

/** `--int64-columns '["a", ...]'`: the Parquet columns of 64-bit integers, sent as digits. */
export function int64Columns(argv: readonly string[]): string[] {
  const names: unknown = JSON.parse(argumentOf(argv, '--int64-columns') ?? '[]');
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string'))
    throw new Error('--int64-columns: expected a JSON list of column names');
  return names;
}

/**
 * `--grouped-by NAME`: the column the job grouped rows by (sharing_ids). Another column than the
 * scorecard's ids would miss repeated ids: refused, with the fix.
 */
export function groupingProblem(
  argv: readonly string[],
  idColumn: string,
): InvalidConfigError | undefined {
  const groupedBy = argumentOf(argv, '--grouped-by');
  if (groupedBy === undefined || groupedBy === idColumn) return undefined;
  return new InvalidConfigError([
    {
      path: '--id-column',
      message: `the job grouped rows by column "${groupedBy}", but the scorecard's ids are in "${idColumn}" (data.id_column): repeated ids would be missed; pass --id-column ${JSON.stringify(idColumn)}`,
    },
  ]);
}

/** Why a row is not an item: its id is an earlier row's (core's reader says so, in these words). */
export function repeatedId(id: string, line: number): { line: number; message: string } {
  return { line, message: `repeats id "${id}"; ids must be unique` };
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
    unpriced_model: line.unpriced_model ?? null,
    tokens_unknown: line.tokens_unknown ?? null,
    input_tokens: line.input_tokens,
    output_tokens: line.output_tokens,
    llm_calls: line.llm_calls,
    retries: line.retries,
    latency_ms: line.latency_ms,
    cached: line.cached,
    // The item's text on its first line (core's itemTextChars), as a local run stores it.
    text: line.text ?? null,
    text_length: line.text_length ?? null,
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
