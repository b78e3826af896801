import type { RatioFunction } from '@plexus/core';

/** Longest left side the bit-parallel count takes (one bit per character of a 32-bit integer). */
const maxBits = 30;

/** Per left side: each character's positions in it, as bits (bit i: character i). */
const positionsOf = new Map<string, Map<number, number>>();

function positions(left: string): Map<number, number> {
  let found = positionsOf.get(left);
  if (!found) {
    // Few distinct left sides (a score's phrases); emptied should a caller pass many.
    if (positionsOf.size >= 4096) positionsOf.clear();
    found = new Map();
    for (let index = 0; index < left.length; index += 1) {
      const code = left.charCodeAt(index);
      found.set(code, (found.get(code) ?? 0) | (1 << index));
    }
    positionsOf.set(left, found);
  }
  return found;
}

/**
 * The length of the longest common subsequence of `left` (at most 30 UTF-16 units) and `right`,
 * in one pass over `right` (Hyyrö's bit-vector algorithm: a 0 bit per matched character of left).
 */
export function commonLength(left: string, right: string): number {
  const mask = (1 << left.length) - 1;
  const bits = positions(left);
  let row = mask;
  for (let index = 0; index < right.length; index += 1) {
    const matches = row & (bits.get(right.charCodeAt(index)) ?? 0);
    row = ((row + matches) | (row - matches)) & mask;
  }
  let common = 0;
  for (let zeros = ~row & mask; zeros !== 0; zeros &= zeros - 1) common += 1;
  return common;
}

/**
 * fuzzball's `ratio` with `full_process: false`, computed the same way to the last bit: Levenshtein
 * with substitutions costing 2 is the length sum less twice the common subsequence, and the ratio
 * is `Math.round(100 * ((sum - distance) / sum))` as fuzzball writes it (0 for an empty side).
 * Left sides over 30 units go to fuzzball itself.
 */
export function indelRatio(fallback: RatioFunction): RatioFunction {
  return (left, right, options) => {
    if (left.length > maxBits || options.full_process) return fallback(left, right, options);
    if (left === '' || right === '') return 0;
    const sum = left.length + right.length;
    const distance = left === right ? 0 : sum - 2 * commonLength(left, right);
    return Math.round(100 * ((sum - distance) / sum));
  };
}

/** fuzzball, loaded only by scores that turn fuzzy matching on; its ratio counted faster. */
export async function loadRatio(): Promise<RatioFunction> {
  const fuzzball = await import('fuzzball');
  return indelRatio(fuzzball.ratio);
}
