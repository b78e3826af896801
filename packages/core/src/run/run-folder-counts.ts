import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../common/errors.js';

/** run.json's counts of a run. */
export interface RunCounts {
  items: number;
  results: number;
  errors: number;
  skipped: number;
  malformed_rows: number;
  cache_hits: number;
}

/** Bytes read at a time. */
const chunkBytes = 4 * 1024 * 1024;

/** Calls `onLine` with each complete line of a file (a last line without its newline is not one). */
function forEachLine(path: string, onLine: (text: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    let carry = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, position);
      if (read === 0) break;
      position += read;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer;
      const end = carry.length + read;
      let start = 0;
      for (let newline = chunk.indexOf(10); newline !== -1 && newline < end; ) {
        if (newline > start) onLine(chunk.toString('utf8', start, newline));
        start = newline + 1;
        newline = chunk.indexOf(10, start);
      }
      carry = Buffer.from(chunk.subarray(start, end));
    }
  } finally {
    closeSync(fd);
  }
}

type Counted = Pick<RunCounts, 'items' | 'results' | 'errors' | 'skipped' | 'cache_hits'>;

/** What a count needs of a line. */
interface Fields {
  id: string;
  status: unknown;
  cached: boolean;
}

/** The index of the closing quote of the JSON string whose text starts at `from`, or -1. */
function stringEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 92) index += 1;
    else if (code === 34) return index;
  }
  return -1;
}

/** Where a JSON string or null that starts at `at` ends (just after it), or -1. */
function stringOrNullEnd(text: string, at: number): number {
  if (text.startsWith('null', at)) return at + 4;
  if (text.charCodeAt(at) !== 34) return -1;
  const end = stringEnd(text, at + 1);
  return end < 0 ? -1 : end + 1;
}

const idKey = '{"item_id":"';

/**
 * `item_id`, `status` and `cached` of a line as Plexus writes it (the keys in `toResultLine`'s
 * order: item_id, score, value, status, ...), read without parsing the rest: a second Ctrl-C
 * counts 600,000 lines without a JSON.parse each. The first `,"cached":` after the status with a
 * boolean is the line's own (no earlier field holds a boolean under that key: probabilities are
 * numbers, texts are strings). Undefined for any other shape: the line is then parsed whole.
 */
function quickFields(text: string): Fields | undefined {
  if (!text.startsWith(idKey) || !text.endsWith('}')) return undefined;
  const idEnd = stringEnd(text, idKey.length);
  if (idEnd < 0 || !text.startsWith(',"score":', idEnd + 1)) return undefined;
  const scoreEnd = stringOrNullEnd(text, idEnd + 10);
  if (scoreEnd < 0 || !text.startsWith(',"value":', scoreEnd)) return undefined;
  const valueEnd = stringOrNullEnd(text, scoreEnd + 9);
  if (valueEnd < 0 || !text.startsWith(',"status":"', valueEnd)) return undefined;
  const statusEnd = text.indexOf('"', valueEnd + 11);
  const cachedAt = text.indexOf(',"cached":', statusEnd);
  if (statusEnd < 0 || cachedAt < 0) return undefined;
  const cached = text.startsWith('true', cachedAt + 10);
  if (!cached && !text.startsWith('false', cachedAt + 10)) return undefined;
  const raw = text.slice(idKey.length, idEnd);
  const id = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  return { id, status: text.slice(valueEnd + 11, statusEnd), cached };
}

/** The fields of any line, parsed whole; undefined when it is not a result line. */
function parsedFields(text: string): Fields | undefined {
  let line: { item_id?: unknown; status?: unknown; cached?: unknown };
  try {
    line = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof line?.item_id !== 'string') return undefined;
  return { id: line.item_id, status: line.status, cached: line.cached === true };
}

/** The result counts of `results.jsonl` as it is on disk (a line cut short is not a result). */
export function resultCounts(path: string): Counted {
  const items = new Set<string>();
  const counts = { items: 0, results: 0, errors: 0, skipped: 0, cache_hits: 0 };
  forEachLine(path, (text) => {
    const line = quickFields(text) ?? parsedFields(text);
    if (!line) return;
    items.add(line.id);
    counts.results += 1;
    if (line.status === 'error') counts.errors += 1;
    else if (line.status === 'skipped' || line.status === 'disabled') counts.skipped += 1;
    if (line.cached) counts.cache_hits += 1;
  });
  return { ...counts, items: items.size };
}

/**
 * The counts of a run folder's files as they are on disk, for a run ended at once (a second
 * Ctrl-C, an uncaught error): results, errors, skips and cache hits of `results.jsonl`, the items
 * it has results for, and the rows `dataset-errors.jsonl` lists. The end of an orderly run counts
 * the same lines as they pass (see `run-end.ts`); this reads them back, synchronously. Returns the
 * reason instead when a file cannot be read.
 */
export function countsOnDisk(dir: string): RunCounts | { unknown: string } {
  let counted: Counted;
  try {
    counted = resultCounts(join(dir, 'results.jsonl'));
  } catch (error) {
    return { unknown: `results.jsonl could not be counted (${errorMessage(error)})` };
  }
  let malformedRows = 0;
  try {
    forEachLine(join(dir, 'dataset-errors.jsonl'), () => {
      malformedRows += 1;
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return { unknown: `dataset-errors.jsonl could not be counted (${errorMessage(error)})` };
  }
  return { ...counted, malformed_rows: malformedRows };
}
