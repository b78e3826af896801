import { describe, expect, it } from 'vitest';
import { resultLine } from '../run/result-line-fixture.js';
import { ReportRows } from './report-data.js';

function sampled(ids: string[], seed: number, sampleRows = 50): string[] {
  const rows = new ReportRows({ seed, sampleRows });
  for (const id of ids) rows.add(resultLine(id));
  return rows.scores.get('Spam')!.correct.map((row) => row.item);
}

const ids = Array.from({ length: 1000 }, (_, index) => `item-${index}`);

describe("the report's seeded sample of correct items", () => {
  it('is the same whatever order the results arrive in (the engine hands them over in groups)', () => {
    const reversed = [...ids].reverse();
    const interleaved = [...ids.filter((_, i) => i % 2), ...ids.filter((_, i) => i % 2 === 0)];
    const sample = sampled(ids, 7);
    expect(sample).toHaveLength(50);
    expect(new Set(sample).size).toBe(50);
    expect(sampled(reversed, 7)).toEqual(sample);
    expect(sampled(interleaved, 7)).toEqual(sample);
    // Another seed, another sample.
    expect(sampled(ids, 8)).not.toEqual(sample);
  });

  it('gives every item the same chance: 100 items, 50 kept, over 400 seeds', () => {
    const hundred = ids.slice(0, 100);
    const kept = new Map<string, number>(hundred.map((id) => [id, 0]));
    for (let seed = 0; seed < 400; seed += 1)
      for (const id of sampled(hundred, seed)) kept.set(id, kept.get(id)! + 1);
    // Binomial(400, 0.5) per item: mean 200, sd 10; every count within 6 sd of the mean.
    const counts = [...kept.values()];
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(400 * 50);
    expect(Math.min(...counts)).toBeGreaterThan(140);
    expect(Math.max(...counts)).toBeLessThan(260);
  });
});
