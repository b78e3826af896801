import { describe, expect, it } from 'vitest';
import type { ResultLine } from './result-line.js';
import { resultLine } from './result-line-fixture.js';
import { storedLineProblem } from './stored-line-check.js';

const score = { labels: ['yes', 'no'], normalization: undefined };

describe('storedLineProblem and the statuses Plexus writes', () => {
  it('keeps the lines of every status Plexus writes, as older versions wrote them', () => {
    const lines: ResultLine[] = [
      resultLine('a'),
      resultLine('b', { value: null, status: 'skipped', correct: null }),
      resultLine('c', { value: null, status: 'disabled', label: null, correct: null }),
      resultLine('d', {
        value: null,
        status: 'error',
        correct: null,
        error: { message: 'boom', code: 'score_failed', retryable: false },
      }),
    ];
    expect(lines.map((line) => storedLineProblem(line, score))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('names every status it knows when it refuses one', () => {
    expect(storedLineProblem(resultLine('e', { status: 'weird' as never }), score)).toBe(
      'status "weird" is not ok, skipped, error or disabled',
    );
  });
});
