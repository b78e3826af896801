import type { RatioFunction } from '@plexus/core';

/** fuzzball, loaded only by scores that turn fuzzy matching on. */
export async function loadRatio(): Promise<RatioFunction> {
  const fuzzball = await import('fuzzball');
  return fuzzball.ratio;
}
