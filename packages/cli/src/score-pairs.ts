import { InvalidConfigError } from '@plexus/core';

/**
 * `A=B` as a pair. A name may hold `=` (names are data): with several `=`, the one split whose
 * names are a score of run A and a score of run B (`a=b=c` is `a=b` and `c`, or `a` and `b=c`).
 */
export function pairOf(value: string, names: { a: Set<string>; b: Set<string> }): [string, string] {
  const splits: [string, string][] = [];
  for (let at = value.indexOf('='); at !== -1; at = value.indexOf('=', at + 1))
    splits.push([value.slice(0, at), value.slice(at + 1)]);
  const named = splits.filter(([a, b]) => a !== '' && b !== '');
  if (named.length === 1) return named[0]!;
  const existing = named.filter(([a, b]) => names.a.has(a) && names.b.has(b));
  if (existing.length === 1) return existing[0]!;
  throw new InvalidConfigError([
    {
      path: '--pair',
      message:
        existing.length > 1
          ? `"${value}" can be read ${existing.map(([a, b]) => `"${a}" with "${b}"`).join(' or ')}; rename a score to compare them`
          : `expected SCORE_A=SCORE_B (a score of run A, = , a score of run B), got "${value}"`,
    },
  ]);
}
