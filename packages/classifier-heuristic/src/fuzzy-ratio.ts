import { indelRatio as coreIndelRatio, type RatioFunction } from '@plexus/core';

/** Longest left side counted here; longer ones go to fuzzball itself. */
const maxBits = 30;

/**
 * fuzzball's `ratio` with `full_process: false`, computed the same way to the last bit by core's
 * `indelRatio` (a bit-parallel common-subsequence count and fuzzball's own rounding). Left sides
 * over 30 units, and `full_process`, go to fuzzball itself.
 */
export function indelRatio(fallback: RatioFunction): RatioFunction {
  return (left, right, options) => {
    if (left.length > maxBits || options.full_process) return fallback(left, right, options);
    return coreIndelRatio(left, right);
  };
}

/** fuzzball, loaded only by scores that turn fuzzy matching on; its ratio counted faster. */
export async function loadRatio(): Promise<RatioFunction> {
  const fuzzball = await import('fuzzball');
  return indelRatio(fuzzball.ratio);
}
