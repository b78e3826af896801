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
  // log C(n, k) from log C(n, k - 1): one step a term (summed anew it took O(k^2): minutes at
  // 200,000 discordant items).
  // Compensated (Kahan) so the rounding of 200,000 steps does not add up.
  const terms: number[] = [];
  let logChoose = 0;
  let carried = 0;
  for (let k = 0; k <= smaller; k += 1) {
    if (k > 0) {
      const step = Math.log(n - k + 1) - Math.log(k) - carried;
      const next = logChoose + step;
      carried = next - logChoose - step;
      logChoose = next;
    }
    terms.push(logChoose - n * Math.LN2);
  }
  // A loop, not Math.max(...terms): spread over 200,000 terms overflows the call stack.
  const largest = terms.reduce((top, term) => Math.max(term, top), -Infinity);
  const tail = Math.exp(largest) * terms.reduce((sum, term) => sum + Math.exp(term - largest), 0);
  return Math.min(1, 2 * tail);
}
