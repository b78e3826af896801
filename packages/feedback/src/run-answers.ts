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

function asResult(text: string): RunResult | undefined {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text);
  } catch {
    return undefined; // a line a crash cut short is not a result
  }
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

/**
 * A run folder's results, the last line of each item and score (as after a resume), in the order
 * the items first appear.
 */
export async function readRunResults(runDir: string): Promise<RunResult[]> {
  const path = join(runDir, 'results.jsonl');
  try {
    await access(path);
  } catch {
    throw new DatasetError(
      `${runDir}: no results.jsonl: pass --run a run folder (runs/<time>-<scorecard>)`,
    );
  }
  const results = new Map<string, RunResult>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    const result = asResult(text);
    if (result) results.set(JSON.stringify([result.item_id, result.score]), result);
  }
  return [...results.values()];
}

/** A run folder's answers: score → item → value (results `ok` with a value only). */
export async function readRunAnswers(runDir: string): Promise<RunAnswers> {
  const answers = new Map<string, Map<string, string>>();
  for (const result of await readRunResults(runDir)) {
    if (result.status !== 'ok' || result.value === null) continue;
    let items = answers.get(result.score);
    if (!items) {
      items = new Map();
      answers.set(result.score, items);
    }
    items.set(result.item_id, result.value);
  }
  return answers;
}
