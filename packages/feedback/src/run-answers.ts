import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatasetError } from '@plexus/core';
import type { RunAnswers } from './agreement.js';

/**
 * A run folder's answers: score → item → value, from its `results.jsonl` (a later line of the same
 * item and score wins, as after a resume; errors and results without a value are left out).
 */
export async function readRunAnswers(runDir: string): Promise<RunAnswers> {
  const path = join(runDir, 'results.jsonl');
  try {
    await access(path);
  } catch {
    throw new DatasetError(
      `${runDir}: no results.jsonl: pass --run a run folder (runs/<time>-<scorecard>)`,
    );
  }
  const answers = new Map<string, Map<string, string>>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    let line: { item_id?: unknown; score?: unknown; value?: unknown; status?: unknown };
    try {
      line = JSON.parse(text);
    } catch {
      continue; // a line a crash cut short is not a result
    }
    if (typeof line.item_id !== 'string' || typeof line.score !== 'string') continue;
    let items = answers.get(line.score);
    if (!items) {
      items = new Map();
      answers.set(line.score, items);
    }
    if (line.status === 'ok' && typeof line.value === 'string') items.set(line.item_id, line.value);
    else items.delete(line.item_id);
  }
  return answers;
}
