import {
  defineScoreFactory,
  errorMessage,
  hashValue,
  InvalidConfigError,
  type ScoreOutputV1,
} from '@plexus/core';
import { RE2JS } from 're2js';
import { outcomeLabels, ruleMatches } from './outcome-settings.js';
import { type RegexSettings, regexSettingsSchema } from './regex-settings.js';
import { describeSegment, quote, scopeSegments } from './text-scope.js';

const flagBits: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

function compile(settings: RegexSettings): { source: string; regex: RE2JS; groups: string[] }[] {
  const problems = [];
  const compiled = [];
  for (const [index, entry] of settings.patterns.entries()) {
    const source = typeof entry === 'string' ? entry : entry.pattern;
    const flags = typeof entry === 'string' ? (settings.ignore_case ? 'i' : '') : entry.flags;
    const bits = [...flags].reduce((sum, flag) => sum | (flagBits[flag] ?? 0), 0);
    try {
      const regex = RE2JS.compile(source, bits);
      compiled.push({ source, regex, groups: Object.keys(regex.namedGroups()) });
    } catch (error) {
      problems.push({
        path: `patterns.${index}`,
        message: `invalid pattern: ${errorMessage(error)} (RE2 syntax: no lookaround or backreferences)`,
      });
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return compiled;
}

/** `heuristic/regex`: patterns in (a part of) the text, in linear time (RE2). */
export const regexFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'regex',
  settingsSchema: regexSettingsSchema,
  outputLabels: (settings, env) => {
    const outcome = outcomeLabels(settings, env);
    return [outcome.match, outcome.noMatch];
  },
  create(settings, env) {
    const outcome = outcomeLabels(settings, env);
    const patterns = compile(settings);
    const scoreItem = (item: Parameters<typeof scopeSegments>[0]): ScoreOutputV1 => {
      const matches = [];
      const foundPatterns = new Set<string>();
      for (const segment of scopeSegments(item, settings)) {
        for (const pattern of patterns) {
          const matcher = pattern.regex.matcher(segment.text);
          while (matches.length < 50 && matcher.find()) {
            foundPatterns.add(pattern.source);
            const groups = Object.fromEntries(
              pattern.groups.map((name) => [name, matcher.group(name)]),
            );
            matches.push({
              pattern: pattern.source,
              text: matcher.group(),
              start: matcher.start(),
              end: matcher.end(),
              segment,
              groups,
            });
            if (matcher.end() === matcher.start()) break; // an empty match would repeat forever
          }
        }
      }
      const matched = ruleMatches(settings.match, foundPatterns.size, patterns.length);
      const shown = matches
        .slice(0, 3)
        .map(
          (match) =>
            `/${match.pattern}/ matched "${match.text}" in ${describeSegment(match.segment)}: "${quote(match.segment.text, match.start, match.end)}"`,
        );
      const missing = patterns
        .filter((pattern) => !foundPatterns.has(pattern.source))
        .map((pattern) => `/${pattern.source}/`);
      const explanation = `${matched ? 'match' : 'no match'} (${settings.match}): ${[...shown, ...(missing.length > 0 ? [`no match for ${missing.join(', ')}`] : [])].join('; ')}`;
      return {
        value: matched ? outcome.match : outcome.noMatch,
        status: 'ok',
        confidence: 1,
        explanation,
        trace: {
          matches: matches.map((match) => ({
            pattern: match.pattern,
            text: match.text,
            speaker: match.segment.speaker ?? null,
            turn: match.segment.turn,
            start: match.start,
            groups: match.groups,
          })),
        },
      };
    };
    return {
      specificationVersion: 'v1',
      kind: 'heuristic/regex',
      name: env.name,
      labels: env.labels.length > 0 ? env.labels : [outcome.match, outcome.noMatch],
      fingerprint: hashValue({ kind: 'regex', settings, outcome }),
      maxBatchSize: 256,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map(scoreItem);
      },
    };
  },
});
