import { PassThrough } from 'node:stream';
import type { ResultLine } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { lineWriter, problemRow, sparkRow, type WorkerRow, workerRows } from './worker-protocol.js';

async function rowsOf(lines: string[]): Promise<WorkerRow[]> {
  const rows: WorkerRow[] = [];
  for await (const row of workerRows(
    (async function* () {
      yield* lines;
    })(),
  ))
    rows.push(row);
  return rows;
}

describe('workerRows', () => {
  it('gives each row of a block its row number and line from the header, parsed as JSONL', async () => {
    const rows = await rowsOf([
      '{"rows": [5, 6, 7], "lines": [5, 7, 8], "problems": []}',
      '{"id": "a", "text": "one"}',
      '[1, 2]',
      '{"id": "b", "text": "two"',
      '{"rows": [2, 9], "lines": [2, 12], "problems": [[1, "has 3 fields, the header has 2"]]}',
      '{"text": "three"}',
      '',
    ]);
    expect(rows).toEqual([
      { kind: 'row', line: 5, record: { id: 'a', text: 'one' }, rowNumber: 5 },
      { kind: 'error', line: 7, message: 'is not a JSON object', rowNumber: 6 },
      {
        kind: 'error',
        line: 8,
        message: expect.stringContaining('is not valid JSON'),
        rowNumber: 7,
      },
      // Rows after a repartition: numbers from anywhere in the file, in any order.
      { kind: 'row', line: 2, record: { text: 'three' }, rowNumber: 2 },
      { kind: 'error', line: 12, message: 'has 3 fields, the header has 2', rowNumber: 9 },
    ]);
  });

  it('refuses input that is not a block header, and input that ends inside a block', async () => {
    await expect(rowsOf(['{"id": "a"}'])).rejects.toThrow('expected a block header');
    await expect(rowsOf(['{"first": 1, "count": 1}'])).rejects.toThrow('expected a block header');
    await expect(
      rowsOf(['{"rows": [1, 2], "lines": [1, 2], "problems": []}', '{}']),
    ).rejects.toThrow('ended 1 rows before the end');
  });
});

describe('sparkRow', () => {
  it('keeps the output columns and turns probabilities, error and trace into JSON strings', () => {
    const line: ResultLine = {
      item_id: 'a',
      score: 'Spam',
      value: 'spam',
      status: 'ok',
      label: 'ham',
      correct: false,
      explanation: null,
      confidence: 0.9,
      probabilities: { spam: 0.9, ham: 0.1 },
      cost_usd: null,
      unpriced_model:
        'openai gpt-x (its endpoint reported no token usage: tokens and cost unknown)',
      tokens_unknown: true,
      input_tokens: 12,
      output_tokens: 1,
      llm_calls: 1,
      retries: 0,
      latency_ms: 51.5,
      cached: false,
      error: null,
      trace: { prompts: [] },
      text: 'win a prize',
      text_length: 4000,
    };
    expect(sparkRow(line)).toEqual({
      item_id: 'a',
      score: 'Spam',
      value: 'spam',
      status: 'ok',
      label: 'ham',
      correct: false,
      explanation: null,
      confidence: 0.9,
      probabilities: '{"spam":0.9,"ham":0.1}',
      cost_usd: null,
      // A local line's unknown price and tokens reach the run folder from Spark too.
      unpriced_model:
        'openai gpt-x (its endpoint reported no token usage: tokens and cost unknown)',
      tokens_unknown: true,
      input_tokens: 12,
      output_tokens: 1,
      llm_calls: 1,
      retries: 0,
      latency_ms: 51.5,
      cached: false,
      error: null,
      trace: '{"prompts":[]}',
      // The item's text as the line keeps it (its first characters, and the whole length).
      text: 'win a prize',
      text_length: 4000,
    });
    expect(problemRow({ line: 3, message: 'has no text' })).toEqual({
      item_id: null,
      score: null,
      status: 'error',
      problem_line: 3,
      problem_message: 'has no text',
    });
  });
});

describe('lineWriter', () => {
  it('writes the lines of one turn in one chunk, every line once and in order', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const writer = lineWriter(stream);
    for (let index = 0; index < 5; index += 1) await writer.write({ index });
    await new Promise((resolve) => setImmediate(resolve));
    await writer.write({ index: 5 });
    await writer.flush();
    expect(chunks).toEqual([
      '{"index":0}\n{"index":1}\n{"index":2}\n{"index":3}\n{"index":4}\n',
      '{"index":5}\n',
    ]);
  });
});
