// McNemar's exact p for large runs: each term's log C(n, k) was summed from scratch (k steps), so
// the tail took O(k²): 20,000 discordant items on the smaller side took 2 CPU s, 200,000 about
// 200 (plexus compare of two large runs seemed to hang). Values from SciPy 1.17.1,
// `scipy.stats.binomtest(only_a, only_a + only_b, 0.5).pvalue`.
import { expect, it } from 'vitest';
import { mcnemarExact } from './mcnemar.js';

const scipy: [number, number, number][] = [
  [20_000, 20_400, 0.04713209701042834],
  [200_000, 201_000, 0.11466042277570493],
  [200_000, 202_000, 0.001616958698578297],
];

it("matches SciPy's binomtest for hundreds of thousands of discordant items, in linear time", () => {
  const started = process.cpuUsage();
  for (const [onlyA, onlyB, expected] of scipy) {
    const p = mcnemarExact(onlyA, onlyB);
    expect(Math.abs(p - expected) / expected).toBeLessThan(1e-9);
    expect(mcnemarExact(onlyB, onlyA)).toBe(p);
  }
  const used = process.cpuUsage(started);
  // Linear: a few milliseconds; the quadratic sum took minutes here.
  expect((used.user + used.system) / 1e6).toBeLessThan(2);
});

it('is 0 far in the tail, not NaN', () => {
  expect(mcnemarExact(1, 150_000)).toBe(0);
});
