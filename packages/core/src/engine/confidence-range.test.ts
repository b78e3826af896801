import { describe, expect, it } from 'vitest';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { checkOutput } from './output-check.js';

// A score package returning confidence 1.7, -0.2 or "0.5" had it stored as given, and calibration
// clamped it without a word. Such an answer is now an error saying what is wrong.
describe('checkOutput: confidence', () => {
  it('refuses a confidence that is not a number from 0 to 1, keeping the usage', () => {
    for (const confidence of [1.7, -0.2, '0.5', Number.NaN, Number.POSITIVE_INFINITY]) {
      const checked = checkOutput(
        { value: 'yes', status: 'ok', confidence, usage: { calls: 1, inputTokens: 5 } },
        ['yes', 'no'],
        'Echo',
      );
      expect(checked).toMatchObject({
        value: null,
        status: 'error',
        usage: { calls: 1, inputTokens: 5 },
        error: { code: 'bad_output', retryable: false },
      });
      expect(checked.confidence).toBeUndefined();
      expect(checked.error?.message).toMatch(
        /^score "Echo" returned confidence .*: a confidence is a number from 0 to 1 \(or null when the score has none\)$/,
      );
    }
  });

  it('takes a float32 rounding past 1 or 0 as 1 or 0', () => {
    const checked = checkOutput(
      { value: 'yes', status: 'ok', confidence: 1.0000001 },
      ['yes'],
      'Echo',
    );
    expect(checked).toMatchObject({ value: 'yes', status: 'ok', confidence: 1 });
    expect(
      checkOutput({ value: 'yes', status: 'ok', confidence: -1e-8 }, ['yes'], 'Echo').confidence,
    ).toBe(0);
  });

  it('keeps 0, 1, null and no confidence', () => {
    for (const confidence of [0, 1, 0.42, null, undefined]) {
      const output = { value: 'yes', status: 'ok' as const, confidence } as ScoreOutputV1;
      expect(checkOutput(output, ['yes', 'no'], 'Echo')).toBe(output);
    }
  });
});
