/** The most ways through a pattern's alternatives for it to run without the time limit. */
export const maxPaths = 256;

/**
 * The most steps a backtracking engine can take from one position of a text for a pattern to run
 * without the time limit: each alternative entered and each character, class or assertion tried,
 * on every way through. Few ways followed by a long stretch (`(.|..)` 8 times, then 1,000 dots,
 * then `^`) take ~256,000 steps per position, 1.8 CPU s on 20,000 characters; 4,096 steps take
 * ~0.12 CPU s on 100,000.
 */
export const maxSteps = 4096;

/** Ways through the alternatives of a group finished so far and through its current one. */
interface GroupCount {
  donePaths: number;
  doneSteps: number;
  paths: number;
  steps: number;
}

const newGroup = (): GroupCount => ({ donePaths: 0, doneSteps: 0, paths: 1, steps: 1 });

/** Where the group that opens at `at` (a `(`) starts its alternatives, or -1 for a lookaround. */
function groupBody(source: string, at: number): number {
  if (source[at + 1] !== '?') return at + 1;
  const kind = source[at + 2];
  if (kind === ':') return at + 3;
  // `(?<name>`: a named group; `(?<=` and `(?<!` are lookbehinds.
  if (kind === '<' && source[at + 3] !== '=' && source[at + 3] !== '!') return at + 3;
  return -1;
}

/**
 * Where the character class that opens at `at` (a `[`) ends: the index past its `]`, or -1, also
 * for a class with `\q{…}` (flag `v`, not among a score's flags today: strings, `[\q{x|xx}]` an
 * alternation of its own).
 */
function classEnd(source: string, at: number): number {
  let index = at + 1;
  if (source[index] === '^') index += 1;
  for (; index < source.length; index += 1) {
    if (source[index] === '\\') {
      index += 1;
      if (source[index] === 'q') return -1;
    } else if (source[index] === ']') return index + 1;
  }
  return -1;
}

/**
 * Whether a regular expression (its source, after `(?P<` became `(?<`) can backtrack only a bounded
 * number of times at each position of a text, so that it runs in time linear in the text, as RE2
 * does: no repetition (`*`, `+`, `?`, `{…}`), no backreference, no lookaround, at most `maxPaths`
 * ways through its alternatives (`(a|b)(c|d)` has 4) and at most `maxSteps` steps along all of them
 * from one position. Anything this reader does not know counts as not linear; a `false` only means
 * the pattern keeps its time limit.
 */
export function isLinearPattern(source: string): boolean {
  // Per open group: ways (and steps) through its finished alternatives, and the current one so far.
  const groups: GroupCount[] = [newGroup()];
  for (let index = 0; index < source.length; index += 1) {
    let top = groups[groups.length - 1]!;
    const character = source[index]!;
    if (character === '\\') {
      // A backreference (`\1`, `\k<name>`) can make a pattern match what RE2 cannot; `\p{…}`,
      // `\u{…}` and `\q{…}` (strings of a flag `v` class nested in another) hold braces this
      // reader would take for a repetition: all kept under the limit.
      const next = source[index + 1];
      if (next === undefined || /[1-9kpPqu]/.test(next)) return false;
      index += 1;
    } else if (character === '[') {
      const end = classEnd(source, index);
      if (end === -1) return false;
      index = end - 1;
    } else if (character === '(') {
      const body = groupBody(source, index);
      if (body === -1) return false;
      groups.push(newGroup());
      index = body - 1;
      continue;
    } else if (character === ')') {
      if (groups.length === 1) return false;
      const finished = groups.pop()!;
      top = groups[groups.length - 1]!;
      // Every way reaching the group tries all of its ways.
      top.steps += top.paths * (finished.doneSteps + finished.steps);
      top.paths *= finished.donePaths + finished.paths;
    } else if (character === '|') {
      top.donePaths += top.paths;
      top.doneSteps += top.steps;
      top.paths = 1;
      top.steps = 1;
      continue;
    } else if ('*+?{'.includes(character)) return false;
    if (character !== ')') top.steps += top.paths;
    if (top.donePaths + top.paths > maxPaths || top.doneSteps + top.steps > maxSteps) return false;
  }
  if (groups.length !== 1) return false;
  const [whole] = groups;
  return whole!.donePaths + whole!.paths <= maxPaths && whole!.doneSteps + whole!.steps <= maxSteps;
}
