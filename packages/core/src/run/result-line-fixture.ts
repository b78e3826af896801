// Result lines for tests: a correct answer with every field a line has, in toResultLine's order.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultLine } from './result-line.js';
import type { RunInfo } from './run-folder.js';

/** A line as `toResultLine` writes it (its key order), with `changes` applied. */
export function resultLine(id: string, changes: Partial<ResultLine> = {}): ResultLine {
  return {
    item_id: id,
    score: 'Spam',
    value: 'yes',
    status: 'ok',
    label: 'yes',
    correct: true,
    explanation: null,
    confidence: null,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: 0,
    retries: 0,
    latency_ms: 0,
    cached: false,
    error: null,
    ...changes,
  };
}

/** A running run's run.json for a folder of tests, with these score fingerprints. */
export function runInfo(fingerprints: Record<string, string>): RunInfo {
  return {
    version: 1,
    scorecard: { name: 'C', key: 'c', path: 'c.yaml', hash: 'h' },
    fingerprints,
    data: { path: 'data.csv' },
    options: {},
    status: 'running',
    started_at: new Date().toISOString(),
    ended_at: null,
    duration_s: null,
    counts: { items: 0, results: 0, errors: 0, skipped: 0, malformed_rows: 0, cache_hits: 0 },
    error: null,
  };
}

/** The lines of a run folder's results.jsonl, parsed. */
export function storedLines(dir: string): ResultLine[] {
  return readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
}

/**
 * Rewrites a run folder's results.jsonl with `lines` (as given: a test may spoil them) and marks the
 * run interrupted, as a kill would leave it.
 */
export function interruptedWith(dir: string, lines: readonly object[]): void {
  writeFileSync(
    join(dir, 'results.jsonl'),
    `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
  );
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...info, status: 'interrupted' }));
}
