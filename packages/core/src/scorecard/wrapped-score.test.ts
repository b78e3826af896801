import { describe, expect, it } from 'vitest';
import type { DoScoreOptionsV1, ScoreOutputV1, ScoreV1 } from '../spec/score-spec.js';
import { calibratedScore } from './calibrated-score.js';
import { sampledScore } from './sampled-score.js';
import { wrappedScore } from './wrapped-score.js';

/** A score written as a class with a private field, as a provider's score is: methods need `this`. */
class CountingScore implements ScoreV1 {
  readonly specificationVersion = 'v1' as const;
  readonly kind = 'test/counting';
  readonly name = 'Counting';
  readonly labels = ['yes', 'no'];
  readonly fingerprint = 'counting-1';
  #calls = 0;
  async doScore({ items }: DoScoreOptionsV1): Promise<ScoreOutputV1[]> {
    this.#calls += 1;
    return items.map(() => ({ value: 'yes', status: 'ok' as const, confidence: 0.5 }));
  }
  calls(): number {
    return this.#calls;
  }
  async close(): Promise<void> {
    this.#calls = -1;
  }
}

const options = (count: number) =>
  ({
    items: Array.from({ length: count }, (_, index) => ({
      id: `i${index}`,
      text: 'x',
      metadata: {},
    })),
  }) as unknown as DoScoreOptionsV1;

describe('one wrapper for calibrated and sampled scores', () => {
  it('replaces the fingerprint and doScore only; methods reach the private fields', async () => {
    const score = new CountingScore();
    const wrapped = wrappedScore(score, 'other', async () => []);
    expect(wrapped.fingerprint).toBe('other');
    expect(await wrapped.doScore(options(1))).toEqual([]);
    expect(wrapped.name).toBe('Counting');
    expect((wrapped as CountingScore).calls()).toBe(0);
  });

  it('wraps a wrapped score: calibrated samples ask N times and map the confidence', async () => {
    const score = new CountingScore();
    const sampled = sampledScore(score, 3);
    // A Platt map: 1 / (1 + exp(a * x + b)) at x = the agreeing share, 1 (three "yes" of three).
    const calibrated = calibratedScore(sampled, { method: 'platt', a: -2, b: 0 });
    const [output] = await calibrated.doScore(options(1));
    expect(score.calls()).toBe(3);
    expect((calibrated as CountingScore).calls()).toBe(3);
    expect(output!.value).toBe('yes');
    expect(output!.confidence).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(new Set([score.fingerprint, sampled.fingerprint, calibrated.fingerprint]).size).toBe(3);
    await calibrated.close!();
    expect(score.calls()).toBe(-1);
  });
});
