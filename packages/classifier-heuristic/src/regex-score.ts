import {
  defineScoreFactory,
  errorMessage,
  hashValue,
  InvalidConfigError,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { outcomeLabels, ruleMatches } from './outcome-settings.js';
import { Re2Matcher } from './re2-matcher.js';
import { type RegexSettings, regexSettingsSchema } from './regex-settings.js';
import {
  type CompiledPattern,
  RegexRunner,
  RegexTimeoutError,
  type WorkerMatch,
} from './regex-worker.js';
import { describeSegment, quote, type Segment, scopeSegments } from './text-scope.js';

/** Checks every pattern at load time, so a typo is reported with its place before any scoring. */
function compile(settings: RegexSettings): CompiledPattern[] {
  const problems = [];
  const compiled: CompiledPattern[] = [];
  for (const [index, entry] of settings.patterns.entries()) {
    const raw = typeof entry === 'string' ? entry : entry.pattern;
    // Python and RE2 spell named groups (?P<name>…); JavaScript spells them (?<name>…).
    const source = raw.replace(/\(\?P</g, '(?<');
    const flags = typeof entry === 'string' ? (settings.ignore_case ? 'i' : '') : entry.flags;
    try {
      new RegExp(source, flags);
      compiled.push({ source, flags });
    } catch (error) {
      problems.push({
        path: `patterns.${index}`,
        message: `invalid pattern: ${errorMessage(error)}`,
      });
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return compiled;
}

function toOutput(
  matches: readonly WorkerMatch[],
  segments: readonly Segment[],
  context: {
    settings: RegexSettings;
    patterns: readonly CompiledPattern[];
    match: string;
    noMatch: string;
  },
): ScoreOutputV1 {
  const { settings, patterns } = context;
  const found = new Set(matches.map((match) => match.pattern));
  const matched = ruleMatches(settings.match, found.size, patterns.length);
  const shown = matches.slice(0, 3).map((match) => {
    const segment = segments[match.segment]!;
    return `/${patterns[match.pattern]!.source}/ matched "${match.text}" in ${describeSegment(segment)}: "${quote(segment.text, match.start, match.end)}"`;
  });
  const missing = patterns
    .filter((_, index) => !found.has(index))
    .map((pattern) => `/${pattern.source}/`);
  if (missing.length > 0) shown.push(`no match for ${missing.join(', ')}`);
  return {
    value: matched ? context.match : context.noMatch,
    status: 'ok',
    confidence: 1,
    explanation: `${matched ? 'match' : 'no match'} (${settings.match}): ${shown.join('; ')}`,
    trace: {
      matches: matches.map((match) => ({
        pattern: patterns[match.pattern]!.source,
        text: match.text,
        speaker: segments[match.segment]!.speaker ?? null,
        turn: segments[match.segment]!.turn,
        start: match.start,
        groups: match.groups,
      })),
    },
  };
}

/** `heuristic/regex`: regular expressions in (a part of) the text, with a time limit per item. */
export const regexFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'regex',
  settingsSchema: regexSettingsSchema,
  outputLabels: (settings, env) => {
    const outcome = outcomeLabels(settings, env);
    return [outcome.match, outcome.noMatch];
  },
  async create(settings, env) {
    const outcome = outcomeLabels(settings, env);
    const patterns = compile(settings);
    // RE2 when it can run every pattern (linear time, in this thread); otherwise JavaScript regexes
    // in a worker with a time limit per item.
    const re2 = await Re2Matcher.create(patterns);
    const runner = re2
      ? undefined
      : new RegexRunner(patterns, { itemTimeoutMs: settings.timeout_ms });
    const context = { settings, patterns, match: outcome.match, noMatch: outcome.noMatch };
    return {
      specificationVersion: 'v1',
      kind: 'heuristic/regex',
      name: env.name,
      labels: env.labels.length > 0 ? env.labels : [outcome.match, outcome.noMatch],
      fingerprint: hashValue({ kind: 'regex', settings, outcome }),
      maxBatchSize: 256,
      cacheable: false,
      async doScore({ items, signal }: { items: readonly ScoreItemV1[]; signal: AbortSignal }) {
        signal.throwIfAborted();
        const segments = items.map((item) => scopeSegments(item, settings));
        const texts = segments.map((list) => list.map((segment) => segment.text));
        const results = re2 ? re2.run(texts) : await runner!.run(texts);
        return results.map((result, index): ScoreOutputV1 => {
          if (result instanceof RegexTimeoutError) {
            return {
              value: null,
              status: 'error',
              error: { message: result.message, code: 'regex_timeout', retryable: false },
            };
          }
          return toOutput(result, segments[index]!, context);
        });
      },
      close: async () => runner?.close(),
    };
  },
});
