// Figures the optimizer prints in more than one place: changelog.md and a round's reason.

/**
 * Dollars per item: six decimals, or three significant digits below $0.000001 (a cheap model's
 * $0.0000002 per item read "0.000000", as if it cost nothing); 0 is "0".
 */
export function dollars(value: number | null): string {
  if (value === null) return '–';
  if (value === 0) return '0';
  return value < 0.000001 ? value.toPrecision(3) : value.toFixed(6);
}

/** A share as the percentage it was given as (0.29 is 29%, not 28.999999999999996%). */
export function percentOf(share: number): string {
  return `${Number((share * 100).toPrecision(12))}%`;
}

/** Why a candidate more accurate on the holdout was refused: its cost per item rose too much. */
export function costRiseText(current: number | null, candidate: number | null, allowed: number) {
  return `cost per item rises from ${dollars(current)} to ${dollars(candidate)} USD, over the allowed ${percentOf(allowed)}`;
}
