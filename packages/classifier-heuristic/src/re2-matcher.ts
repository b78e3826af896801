import { nameRecord } from '@plexus/core';
import type { CompiledPattern, PatternMatch } from './pattern-match.js';

type Re2Module = typeof import('re2js');
type Re2Pattern = InstanceType<Re2Module['RE2JS']>;

/**
 * Matches patterns in the scoring thread with RE2 (re2js), which runs in time linear in the text:
 * no pattern can backtrack catastrophically, so no worker or time limit is needed.
 */
export class Re2Matcher {
  private constructor(
    private readonly patterns: readonly { regex: Re2Pattern; groups: string[] }[],
  ) {}

  /** A matcher for the patterns, or undefined when one of them needs what RE2 lacks (lookaround, backreferences). */
  static async create(patterns: readonly CompiledPattern[]): Promise<Re2Matcher | undefined> {
    const { RE2JS } = await import('re2js');
    const bits: Record<string, number> = {
      i: RE2JS.CASE_INSENSITIVE,
      m: RE2JS.MULTILINE,
      s: RE2JS.DOTALL,
    };
    const compiled = [];
    for (const pattern of patterns) {
      const flags = [...pattern.flags].reduce((sum, flag) => sum | (bits[flag] ?? 0), 0);
      try {
        const regex = RE2JS.compile(pattern.source, flags);
        compiled.push({ regex, groups: Object.keys(regex.namedGroups()) });
      } catch {
        return undefined;
      }
    }
    return new Re2Matcher(compiled);
  }

  /** The first match of each pattern in one item's segments (scanned in order), as `firstMatches` gives them. */
  run(segments: readonly string[]): PatternMatch[] {
    const matches: PatternMatch[] = [];
    this.patterns.forEach(({ regex, groups }, pattern) => {
      for (const [segment, text] of segments.entries()) {
        const matcher = regex.matcher(text);
        if (!matcher.find()) continue;
        const named = nameRecord<string | undefined>(); // a group may be named `__proto__`
        for (const name of groups) named[name] = matcher.group(name) ?? undefined;
        matches.push({
          pattern,
          segment,
          start: matcher.start(),
          end: matcher.end(),
          text: matcher.group() ?? '',
          groups: named,
        });
        break;
      }
    });
    return matches;
  }
}
