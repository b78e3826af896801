import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ExternalLine, type ResultLine, RunStoreError } from '@plexus/core';

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? undefined);
}

function number(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : 0;
}

/** A result row of the Spark job's Parquet output as a `results.jsonl` line (or a row problem). */
export function lineOfRow(row: Record<string, unknown>): ExternalLine {
  if (row.problem_line !== null && row.problem_line !== undefined)
    return {
      problem: {
        line: number(row.problem_line),
        message: String(row.problem_message ?? 'unreadable row'),
      },
    };
  const line: ResultLine = {
    item_id: String(row.item_id),
    score: String(row.score),
    value: (row.value as string | null) ?? null,
    status: row.status as ResultLine['status'],
    label: (row.label as string | null) ?? null,
    correct: (row.correct as boolean | null) ?? null,
    explanation: (row.explanation as string | null) ?? null,
    confidence: (row.confidence as number | null) ?? null,
    // Null is an unknown price, not a free call.
    cost_usd: row.cost_usd === null ? null : number(row.cost_usd),
    input_tokens: number(row.input_tokens),
    output_tokens: number(row.output_tokens),
    llm_calls: number(row.llm_calls),
    retries: number(row.retries),
    latency_ms: number(row.latency_ms),
    cached: row.cached === true,
    error: (parseJson(row.error) as ResultLine['error']) ?? null,
  };
  // The model without a price, and tokens not reported, as a local run's line says them.
  if (typeof row.unpriced_model === 'string') line.unpriced_model = row.unpriced_model;
  if (row.tokens_unknown === true) line.tokens_unknown = true;
  const probabilities = parseJson(row.probabilities);
  if (probabilities !== undefined && probabilities !== null)
    line.probabilities = probabilities as Record<string, number>;
  const trace = parseJson(row.trace);
  if (trace !== undefined && trace !== null) line.trace = trace;
  // The item's text, on its first line: reports, the viewer and review show what was scored.
  if (typeof row.text === 'string') line.text = row.text;
  if (row.text_length !== null && row.text_length !== undefined)
    line.text_length = number(row.text_length);
  return line;
}

/** Streams the result rows of every Parquet part file in the job's output folder. */
export async function* readSparkResults(output: string): AsyncGenerator<ExternalLine> {
  let names: string[];
  try {
    names = await readdir(output);
  } catch {
    throw new RunStoreError(`${output}: no Spark output folder`);
  }
  const files = names.filter((name) => name.endsWith('.parquet')).sort();
  if (!names.includes('_SUCCESS'))
    throw new RunStoreError(`${output}: no _SUCCESS marker; the Spark job did not finish`);
  const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
  for (const name of files) {
    const file = await asyncBufferFromFile(join(output, name));
    for (const row of await parquetReadObjects({ file }))
      yield lineOfRow(row as Record<string, unknown>);
  }
}
