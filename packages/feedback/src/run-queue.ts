import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '@plexus/core';
import { QueueTable } from './queue-table.js';
import { type QueueOptions, queueOfTable, type ReviewQueue } from './review-queue.js';
import { asResult } from './run-answers.js';

/** Bytes read from results.jsonl at a time. */
const chunkBytes = 4 * 1024 * 1024;

/** Calls `visit` with each line of the open file `fd` (its bytes, where it starts), in order. */
function eachLine(
  fd: number,
  visit: (chunk: Buffer, start: number, end: number, at: number) => void,
) {
  const buffer = Buffer.alloc(chunkBytes);
  let carry = Buffer.alloc(0);
  let position = 0;
  for (;;) {
    const read = readSync(fd, buffer, 0, chunkBytes, position);
    const chunk = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer;
    const end = carry.length + read;
    const chunkStart = position - carry.length;
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1 && newline < end; ) {
      if (newline > start) visit(chunk, start, newline, chunkStart + start);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    carry = Buffer.from(chunk.subarray(start, end));
    position += read;
    if (read === 0) break;
  }
  // The last line, without its newline.
  if (carry.length > 0) visit(carry, 0, carry.length, position - carry.length);
}

/** The text of the line of `bytes` at `at` (null: none or not a result). */
function textAt(fd: number, at: number, bytes: number): string | null {
  const buffer = Buffer.alloc(bytes);
  readSync(fd, buffer, 0, bytes, at);
  return asResult(buffer.toString('utf8'))?.text ?? null;
}

/**
 * `reviewQueue` of a run folder, read line by line: the last line of each item and score kept as
 * a few numbers (no text), the queued items' texts read again from their lines. A million-item
 * run's queue took 1.9 GB when every result was kept whole. `scores` lists the run's scores, in
 * the order of their first line.
 */
export async function reviewQueueOfRun(
  runDir: string,
  options: QueueOptions,
): Promise<ReviewQueue & { scores: string[] }> {
  const path = join(runDir, 'results.jsonl');
  if (!existsSync(path))
    throw new DatasetError(
      `${runDir}: no results.jsonl: pass --run a run folder (runs/<time>-<scorecard>)`,
    );
  const fd = openSync(path, 'r');
  try {
    const table = new QueueTable();
    eachLine(fd, (chunk, start, end, at) => {
      const result = asResult(chunk.toString('utf8', start, end));
      if (result) table.add(result, at, end - start);
    });
    const queue = queueOfTable(table, options, (item, score) => {
      const place = table.placeOf(item, score);
      return textAt(fd, place.at, place.bytes);
    });
    return { ...queue, scores: table.scores.list };
  } finally {
    closeSync(fd);
  }
}
