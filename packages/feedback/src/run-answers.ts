import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatasetError } from '@plexus/core';
import type { RunAnswers } from './agreement.js';

/** What the feedback tools read of a result line. */
export interface RunResult {
  item_id: string;
  score: string;
  value: string | null;
  status: string;
  label: string | null;
  confidence: number | null;
  text: string | null;
}

export function asResult(text: string): RunResult | undefined {
  let line: Record<string, unknown> | null;
  try {
    line = JSON.parse(text);
  } catch {
    return undefined; // a line a crash cut short is not a result
  }
  // JSON that is no object (`null`, a number: another tool's line) is no result either; `null`
  // failed agreement --run and review queue ("Cannot read properties of null").
  if (typeof line !== 'object' || line === null) return undefined;
  if (typeof line.item_id !== 'string' || typeof line.score !== 'string') return undefined;
  return {
    item_id: line.item_id,
    score: line.score,
    value: typeof line.value === 'string' ? line.value : null,
    status: typeof line.status === 'string' ? line.status : 'error',
    label: typeof line.label === 'string' ? line.label : null,
    confidence: typeof line.confidence === 'number' ? line.confidence : null,
    text: typeof line.text === 'string' ? line.text : null,
  };
}

/** A run folder's result lines, as read (a line a crash cut short left out). */
async function* resultLines(runDir: string): AsyncGenerator<RunResult> {
  const path = join(runDir, 'results.jsonl');
  try {
    await access(path);
  } catch {
    throw new DatasetError(
      `${runDir}: no results.jsonl: pass --run a run folder (runs/<time>-<scorecard>)`,
    );
  }
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    const result = asResult(text);
    if (result) yield result;
  }
}

/**
 * A run folder's results, the last line of each item and score (as after a resume), in the order
 * the items first appear.
 */
export async function readRunResults(runDir: string): Promise<RunResult[]> {
  const results = new Map<string, RunResult>();
  for await (const result of resultLines(runDir))
    results.set(JSON.stringify([result.item_id, result.score]), result);
  return [...results.values()];
}

/**
 * A run folder's answers: score → item → value (results `ok` with a value only), from the last
 * line of each item and score, in the order the items first appear (scores in the order of their
 * first such item). Read line by line: kept as whole results first, a million-item run's took 2.7 GB.
 */
export async function readRunAnswers(runDir: string): Promise<RunAnswers> {
  // Per score, each item's last value (null: no answer, an error after a resume) and when its
  // first line came.
  const latest = new Map<string, Map<string, { value: string | null; order: number }>>();
  let order = 0;
  for await (const result of resultLines(runDir)) {
    let items = latest.get(result.score);
    if (!items) {
      items = new Map();
      latest.set(result.score, items);
    }
    const value = result.status === 'ok' ? result.value : null;
    const seen = items.get(result.item_id);
    if (seen) seen.value = value;
    else items.set(result.item_id, { value, order: order++ });
  }
  const answered: { score: string; first: number; items: Map<string, string> }[] = [];
  for (const [score, items] of latest) {
    const kept = { score, first: Number.POSITIVE_INFINITY, items: new Map<string, string>() };
    for (const [item, { value, order: itemOrder }] of items) {
      if (value === null) continue;
      kept.first = Math.min(kept.first, itemOrder);
      kept.items.set(item, value);
    }
    if (kept.items.size > 0) answered.push(kept);
  }
  answered.sort((left, right) => left.first - right.first);
  return new Map(answered.map(({ score, items }) => [score, items]));
}
