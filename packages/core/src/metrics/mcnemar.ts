function logChoose(n: number, k: number): number {
  let result = 0;
  for (let index = 1; index <= k; index += 1) result += Math.log(n - k + index) - Math.log(index);
  return result;
}

/**
 * McNemar's exact test (two-sided binomial test on the discordant pairs): `onlyA` items only the
 * first run got right, `onlyB` only the second. Returns the p-value (1 when there are no
 * discordant pairs).
 */
export function mcnemarExact(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  if (n === 0) return 1;
  const smaller = Math.min(onlyA, onlyB);
  // Sum the lower tail in log space, largest term first, so large n neither overflows nor underflows.
  const terms: number[] = [];
  for (let k = 0; k <= smaller; k += 1) terms.push(logChoose(n, k) - n * Math.LN2);
  const largest = Math.max(...terms);
  const tail = Math.exp(largest) * terms.reduce((sum, term) => sum + Math.exp(term - largest), 0);
  return Math.min(1, 2 * tail);
}
