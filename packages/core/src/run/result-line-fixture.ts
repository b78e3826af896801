// Result lines for tests: a correct answer with every field a line has, in toResultLine's order.
import type { ResultLine } from './result-line.js';

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
