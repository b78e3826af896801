/** Longest left side the bit-parallel count takes (one bit per UTF-16 unit of a 32-bit integer). */
const maxBits = 30;

/** Per left side: each UTF-16 unit's positions in it, as bits (bit i: unit i). */
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

/** Hyyrö's bit-vector count, one pass over `right` (a 0 bit per matched unit of `left`). */
function bitParallelCommon(left: string, right: string): number {
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

/** The dynamic-programming table, row by row. */
function tableCommon(left: string, right: string): number {
  let previous = new Uint16Array(right.length + 1);
  let current = new Uint16Array(right.length + 1);
  for (let row = 1; row <= left.length; row += 1) {
    const code = left.charCodeAt(row - 1);
    for (let column = 1; column <= right.length; column += 1) {
      current[column] =
        code === right.charCodeAt(column - 1)
          ? previous[column - 1]! + 1
          : Math.max(previous[column]!, current[column - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length]!;
}

/**
 * The length of the longest common subsequence of two strings, in UTF-16 units: bit-parallel when
 * `left` (a phrase) has at most 30 units, else by the table.
 */
export function commonLength(left: string, right: string): number {
  return left.length <= maxBits ? bitParallelCommon(left, right) : tableCommon(left, right);
}

/**
 * fuzzball's `ratio` without its preprocessing (`full_process: false`), to the last bit: the indel
 * distance (Levenshtein with substitutions costing 2) is the length sum less twice the common
 * subsequence, and the ratio is `Math.round(100 * ((sum - distance) / sum))` as fuzzball writes it
 * (a tie such as 46 / 80 rounds down there, where 200 · 23 / 80 = 57.5 would round up); 0 for an
 * empty side.
 */
export function indelRatio(left: string, right: string): number {
  if (left === '' || right === '') return 0;
  const sum = left.length + right.length;
  const common = left === right ? left.length : commonLength(left, right);
  return Math.round(100 * ((2 * common) / sum));
}
