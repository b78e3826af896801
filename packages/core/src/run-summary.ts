import type { ResultLine } from './result-line.js';

/** Counts for one score in a run. */
export interface ScoreSummary {
  results: number;
  ok: number;
  errors: number;
  skipped: number;
  disabled: number;
  /** ok results with a gold label. */
  labeled: number;
  correct: number;
  /** correct / labeled, or null without gold labels. */
  accuracy: number | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  llm_calls: number;
  cache_hits: number;
}

/** Streaming per-score counts of a run. */
export class RunTally {
  readonly scores: Record<string, ScoreSummary> = {};

  constructor(scoreNames: readonly string[]) {
    for (const name of scoreNames) this.scores[name] = emptySummary();
  }

  add(line: ResultLine): void {
    const summary = this.scores[line.score] ?? emptySummary();
    this.scores[line.score] = summary;
    summary.results += 1;
    if (line.status === 'ok') summary.ok += 1;
    else if (line.status === 'error') summary.errors += 1;
    else if (line.status === 'skipped') summary.skipped += 1;
    else summary.disabled += 1;
    if (line.correct !== null) {
      summary.labeled += 1;
      if (line.correct) summary.correct += 1;
      summary.accuracy = summary.correct / summary.labeled;
    }
    summary.cost_usd += line.cost_usd;
    summary.input_tokens += line.input_tokens;
    summary.output_tokens += line.output_tokens;
    summary.llm_calls += line.llm_calls;
    if (line.cached) summary.cache_hits += 1;
  }

  /** Sum over scores of a counter. */
  total(field: 'results' | 'errors' | 'skipped' | 'cost_usd' | 'llm_calls' | 'cache_hits'): number {
    return Object.values(this.scores).reduce((sum, summary) => sum + summary[field], 0);
  }
}

function emptySummary(): ScoreSummary {
  return {
    results: 0,
    ok: 0,
    errors: 0,
    skipped: 0,
    disabled: 0,
    labeled: 0,
    correct: 0,
    accuracy: null,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: 0,
    cache_hits: 0,
  };
}
