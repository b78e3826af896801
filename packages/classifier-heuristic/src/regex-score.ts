import {
  defineScoreFactory,
  errorMessage,
  hashValue,
  InvalidConfigError,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { isLinearPattern } from './linear-pattern.js';
import { outcomeLabels, ruleMatches } from './outcome-settings.js';
import { type CompiledPattern, firstMatches, type PatternMatch } from './pattern-match.js';
import { Re2Matcher } from './re2-matcher.js';
import { re2Reading, re2TextDifference } from './re2-reading.js';
import { type RegexSettings, regexSettingsSchema } from './regex-settings.js';
import {
  describeSegment,
  quote,
  ScopedSegments,
  type Segment,
  type SegmentSource,
} from './text-scope.js';
import { mapWithTimeLimit } from './time-limit.js';

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
      compiled.push({ source, flags, regex: new RegExp(source, flags) });
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

interface OutputContext {
  settings: RegexSettings;
  patterns: readonly CompiledPattern[];
  match: string;
  noMatch: string;
}

function describeMatch(
  match: PatternMatch,
  segment: Segment,
  patterns: readonly CompiledPattern[],
): string {
  const where = `${describeSegment(segment)}: "${quote(segment.text, match.start, match.end)}"`;
  return `/${patterns[match.pattern]!.source}/ matched "${match.text}" in ${where}`;
}

function toOutput(
  matches: readonly PatternMatch[],
  segments: SegmentSource,
  context: OutputContext,
): ScoreOutputV1 {
  const { settings, patterns } = context;
  // First matches: at most one per pattern.
  const matched = ruleMatches(settings.match, matches.length, patterns.length);
  let shown = '';
  const trace = new Array(matches.length);
  for (let index = 0; index < matches.length; index += 1) {
    const match = matches[index]!;
    const segment = segments.at(match.segment)!;
    if (index < 3) shown += `${shown ? '; ' : ''}${describeMatch(match, segment, patterns)}`;
    trace[index] = {
      pattern: patterns[match.pattern]!.source,
      text: match.text,
      speaker: segment.speaker ?? null,
      turn: segment.turn,
      start: match.start,
      groups: match.groups,
    };
  }
  if (matches.length < patterns.length) {
    let missing = '';
    for (let index = 0; index < patterns.length; index += 1) {
      if (matches.some((match) => match.pattern === index)) continue;
      missing += `${missing ? ', ' : ''}/${patterns[index]!.source}/`;
    }
    shown += `${shown ? '; ' : ''}no match for ${missing}`;
  }
  return {
    value: matched ? context.match : context.noMatch,
    status: 'ok',
    confidence: 1,
    explanation: `${matched ? 'match' : 'no match'} (${settings.match}): ${shown}`,
    trace: { matches: trace },
  };
}

/**
 * `heuristic/regex`: regular expressions in (a part of) the text. They run on JavaScript's engine
 * in the scoring thread with a time limit per item; an item that runs out of time is matched again
 * with RE2 (linear time) when RE2 can run the patterns, else it gets an error.
 */
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
    let re2: Promise<Re2Matcher | undefined> | undefined;
    let reading: ReturnType<typeof re2Reading> | undefined;
    const context = { settings, patterns, match: outcome.match, noMatch: outcome.noMatch };
    // Patterns that cannot backtrack more than a bounded number of times per position run in time
    // linear in the text, as RE2 would run them: no watchdog (a thread per batch, ~0.3-0.5 ms).
    const linear = patterns.every((pattern) => isLinearPattern(pattern.source));
    const scoreItem = (item: ScoreItemV1): ScoreOutputV1 => {
      const segments = new ScopedSegments(item, settings);
      return toOutput(firstMatches(patterns, segments), segments, context);
    };
    const timedOut = (why = 'RE2 cannot run them'): ScoreOutputV1 => ({
      value: null,
      status: 'error',
      error: {
        message: `the patterns ran longer than ${settings.timeout_ms} ms on this item (catastrophic backtracking?) and ${why}; simplify the pattern or raise timeout_ms`,
        code: 'regex_timeout',
        retryable: false,
      },
    });

    /**
     * An item JavaScript's engine ran out of time on: RE2 when it can run the patterns and reads
     * them, and this item's text, as JavaScript would (its answer is then JavaScript's).
     */
    const withRe2 = async (item: ScoreItemV1): Promise<ScoreOutputV1> => {
      reading ??= re2Reading(patterns);
      if (reading.syntax) return timedOut(reading.syntax);
      re2 ??= Re2Matcher.create(patterns);
      const matcher = await re2;
      if (!matcher) return timedOut();
      const segments = new ScopedSegments(item, settings);
      const texts: string[] = [];
      for (let index = 0, segment = segments.at(0); segment; segment = segments.at(++index))
        texts.push(segment.text);
      const difference = re2TextDifference(reading, texts);
      if (difference) return timedOut(difference);
      return toOutput(matcher.run(texts), segments, context);
    };

    return {
      specificationVersion: 'v1',
      kind: 'heuristic/regex',
      name: env.name,
      labels: env.labels.length > 0 ? env.labels : [outcome.match, outcome.noMatch],
      fingerprint: hashValue({ kind: 'regex', settings, outcome }),
      maxBatchSize: 1024,
      cacheable: false,
      async doScore({ items, signal }: { items: readonly ScoreItemV1[]; signal: AbortSignal }) {
        signal.throwIfAborted();
        if (linear) return items.map(scoreItem);
        const slow: number[] = [];
        const outputs = mapWithTimeLimit<ScoreOutputV1 | undefined>(
          items.length,
          settings.timeout_ms,
          (index) => scoreItem(items[index]!),
          (index) => {
            slow.push(index);
            return undefined;
          },
        );
        for (const index of slow) outputs[index] = await withRe2(items[index]!);
        return outputs as ScoreOutputV1[];
      },
    };
  },
});
