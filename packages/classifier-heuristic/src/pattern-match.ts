import type { SegmentSource } from './text-scope.js';

/** One match of a pattern in one segment. */
export interface PatternMatch {
  pattern: number;
  segment: number;
  start: number;
  end: number;
  text: string;
  groups: Record<string, string | undefined>;
}

export interface CompiledPattern {
  source: string;
  flags: string;
  regex: RegExp;
}

/** Shared by matches of patterns without named groups (never changed). */
const noGroups: Record<string, string | undefined> = Object.freeze({});

/** The first match of each pattern (scanning segments in order), with JavaScript's engine. */
export function firstMatches(
  patterns: readonly CompiledPattern[],
  segments: SegmentSource,
): PatternMatch[] {
  const matches: PatternMatch[] = [];
  for (let pattern = 0; pattern < patterns.length; pattern += 1) {
    const regex = patterns[pattern]!.regex;
    for (let index = 0, segment = segments.at(0); segment; segment = segments.at(++index)) {
      const match = regex.exec(segment.text);
      if (!match) continue;
      matches.push({
        pattern,
        segment: index,
        start: match.index,
        end: match.index + match[0].length,
        text: match[0],
        groups: match.groups ? { ...match.groups } : noGroups,
      });
      break;
    }
  }
  return matches;
}
