/** The most ways through a pattern's alternatives for it to run without the time limit. */
export const maxPaths = 256;

/** Where the group that opens at `at` (a `(`) starts its alternatives, or -1 for a lookaround. */
function groupBody(source: string, at: number): number {
  if (source[at + 1] !== '?') return at + 1;
  const kind = source[at + 2];
  if (kind === ':') return at + 3;
  // `(?<name>`: a named group; `(?<=` and `(?<!` are lookbehinds.
  if (kind === '<' && source[at + 3] !== '=' && source[at + 3] !== '!') return at + 3;
  return -1;
}

/** Where the character class that opens at `at` (a `[`) ends: the index past its `]`, or -1. */
function classEnd(source: string, at: number): number {
  let index = at + 1;
  if (source[index] === '^') index += 1;
  for (; index < source.length; index += 1) {
    if (source[index] === '\\') index += 1;
    else if (source[index] === ']') return index + 1;
  }
  return -1;
}

/**
 * Whether a regular expression (its source, after `(?P<` became `(?<`) can backtrack only a bounded
 * number of times at each position of a text, so that it runs in time linear in the text, as RE2
 * does: no repetition (`*`, `+`, `?`, `{…}`), no backreference, no lookaround, and at most
 * `maxPaths` ways through its alternatives (`(a|b)(c|d)` has 4). Anything this reader does not know
 * counts as not linear; a `false` only means the pattern keeps its time limit.
 */
export function isLinearPattern(source: string): boolean {
  // Per open group: ways through its finished alternatives, and through the current one so far.
  const groups: { done: number; current: number }[] = [{ done: 0, current: 1 }];
  for (let index = 0; index < source.length; index += 1) {
    let top = groups[groups.length - 1]!;
    const character = source[index]!;
    if (character === '\\') {
      // A backreference (`\1`, `\k<name>`) can make a pattern match what RE2 cannot; `\p{…}`,
      // `\u{…}` hold braces this reader would take for a repetition: all kept under the limit.
      const next = source[index + 1];
      if (next === undefined || /[1-9kpPu]/.test(next)) return false;
      index += 1;
    } else if (character === '[') {
      const end = classEnd(source, index);
      if (end === -1) return false;
      index = end - 1;
    } else if (character === '(') {
      const body = groupBody(source, index);
      if (body === -1) return false;
      groups.push({ done: 0, current: 1 });
      index = body - 1;
    } else if (character === ')') {
      if (groups.length === 1) return false;
      groups.pop();
      const paths = top.done + top.current;
      top = groups[groups.length - 1]!;
      top.current *= paths;
    } else if (character === '|') {
      top.done += top.current;
      top.current = 1;
    } else if ('*+?{'.includes(character)) return false;
    if (top.done + top.current > maxPaths) return false;
  }
  if (groups.length !== 1) return false;
  return groups[0]!.done + groups[0]!.current <= maxPaths;
}
