import type { ResultLine } from '@plexus/core';
import { expect, it } from 'vitest';
import { lineOfRow } from './spark-results.js';
import { sparkRow } from './worker-protocol.js';

// Spark's output had no unpriced_model column: a Spark run's cost was unknown without naming the
// model (a local run names it and how to price it). Unknown tokens come back too.
it('a result line comes back from a Spark row with its unpriced model and unknown tokens', () => {
  const line: ResultLine = {
    item_id: 'a',
    score: 'Spam',
    value: 'spam',
    status: 'ok',
    label: null,
    correct: null,
    explanation: 'why',
    confidence: null,
    cost_usd: null,
    unpriced_model: 'openai gpt-x',
    tokens_unknown: true,
    input_tokens: 12,
    output_tokens: 1,
    llm_calls: 1,
    retries: 0,
    latency_ms: 5,
    cached: false,
    error: null,
    text: 'win a',
    text_length: 11,
  };
  const back = lineOfRow(JSON.parse(JSON.stringify(sparkRow(line))));
  expect('line' in back ? back.line : back).toMatchObject({
    cost_usd: null,
    unpriced_model: 'openai gpt-x',
    tokens_unknown: true,
    input_tokens: 12,
    // The item's text too (Spark's output had none: reports showed no text of a Spark run).
    text: 'win a',
    text_length: 11,
  });
  // A line without the text (the item's other scores) comes back without it, not as null.
  const other = lineOfRow(
    JSON.parse(JSON.stringify(sparkRow({ ...line, text: undefined, text_length: undefined }))),
  );
  expect(other).not.toHaveProperty('text');
  expect(other).not.toHaveProperty('text_length');
});
