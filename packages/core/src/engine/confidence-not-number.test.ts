import { expect, it } from 'vitest';
import { checkOutput } from './output-check.js';

// NaN (a broken ONNX model's softmax) was quoted as `null` by JSON.stringify: the error said the
// score "returned confidence null" and, in the same breath, that null is allowed.
it('names a confidence of NaN or Infinity as it is', () => {
  for (const [confidence, shown] of [
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [1.7, '1.7'],
  ] as const) {
    const output = checkOutput({ status: 'ok', value: 'a', confidence }, ['a', 'b'], 'S');
    expect(output.status).toBe('error');
    expect(output.error?.message).toBe(
      `score "S" returned confidence ${shown}: a confidence is a number from 0 to 1 (or null when the score has none)`,
    );
  }
  const text = checkOutput({ status: 'ok', value: 'a', confidence: '0.5' as never }, ['a'], 'S');
  expect(text.error?.message).toContain('returned confidence "0.5":');
});
