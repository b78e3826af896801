import {
  defineScoreFactory,
  hashValue,
  negationBefore,
  type PhraseHit,
  PhraseMatcher,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { loadRatio } from './fuzzy-ratio.js';
import { type KeywordsSettings, keywordsSettingsSchema } from './keywords-settings.js';
import { outcomeLabels, ruleMatches } from './outcome-settings.js';
import { describeSegment, quote, type Segment, scopeSegments } from './text-scope.js';
import { turnAt } from './turn-locator.js';

interface LocatedHit extends PhraseHit {
  segment: Segment;
  negatedBy: string | undefined;
}

type NegationCheck = (text: string, start: number) => string | undefined;

/** A segment searched whole (turn -1) narrowed to the turn that holds the hit. */
function placed(segment: Segment, start: number): Segment {
  if (segment.turn !== -1) return segment;
  const position = turnAt(segment.text, start);
  return { speaker: position.speaker, turn: position.turn, text: segment.text };
}

/**
 * The first hit of a phrase that is not negated and the first negated one: enough to decide
 * any/all/none (and `flip`) and to say where, without scanning every hit. The scan stops at the
 * first plain hit unless a negated one still matters (`flip` mode).
 */
function firstHits(
  matcher: PhraseMatcher,
  fuzzy: boolean,
  segments: readonly Segment[],
  negation: { check: NegationCheck; flip: boolean },
): LocatedHit[] {
  let plain: LocatedHit | undefined;
  let negated: LocatedHit | undefined;
  for (const segment of segments) {
    const text = segment.text;
    const fuzzyHits = fuzzy ? matcher.findFuzzy(text) : undefined;
    let index = 0;
    for (;;) {
      const hit = fuzzyHits ? fuzzyHits[index++] : matcher.nextExact(text, index);
      if (!hit) break;
      if (!fuzzyHits) index = hit.end;
      const word = negation.check(text, hit.start);
      const located: LocatedHit = {
        phrase: hit.phrase,
        start: hit.start,
        end: hit.end,
        matched: hit.matched,
        similarity: hit.similarity,
        segment: placed(segment, hit.start),
        negatedBy: word,
      };
      if (word) negated ??= located;
      else plain ??= located;
      if (plain && (negated || !negation.flip)) return negated ? [plain, negated] : [plain];
    }
  }
  const hits: LocatedHit[] = [];
  if (plain) hits.push(plain);
  if (negated) hits.push(negated);
  return hits;
}

/** Whether one phrase's presence settles `any` (found), `all` (missing) or `none` (found). */
function decided(match: KeywordsSettings['match'], present: boolean): boolean {
  return match === 'all' ? !present : present;
}

function traceOf(hit: LocatedHit) {
  return {
    phrase: hit.phrase,
    matched: hit.matched,
    speaker: hit.segment.speaker ?? null,
    turn: hit.segment.turn,
    start: hit.start,
    similarity: hit.similarity,
    negated_by: hit.negatedBy ?? null,
  };
}

function explain(
  hits: readonly LocatedHit[],
  settings: KeywordsSettings,
  matched: boolean,
  searched: number,
): string {
  const parts: string[] = [];
  for (const hit of hits) {
    const where = `${describeSegment(hit.segment)}: "${quote(hit.segment.text, hit.start, hit.end)}"`;
    if (hit.negatedBy) {
      parts.push(`"${hit.phrase}" negated by "${hit.negatedBy}" in ${where}`);
    } else {
      const fuzzy =
        hit.similarity < 100 ? ` (fuzzy ${Math.round(hit.similarity)}%: "${hit.matched}")` : '';
      parts.push(`found "${hit.phrase}"${fuzzy} in ${where}`);
    }
  }
  const found = new Set(hits.filter((hit) => !hit.negatedBy).map((hit) => hit.phrase));
  const missing = settings.phrases.slice(0, searched).filter((phrase) => !found.has(phrase));
  if (missing.length > 0 && settings.match !== 'none') {
    parts.push(`not found: ${missing.map((phrase) => `"${phrase}"`).join(', ')}`);
  }
  const scope = settings.speaker === 'any' ? '' : ` (${settings.speaker} only)`;
  return `${matched ? 'match' : 'no match'} (${settings.match})${scope}: ${parts.join('; ')}`;
}

/** `heuristic/keywords`: phrases found in (a part of) the text. */
export const keywordsFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'keywords',
  settingsSchema: keywordsSettingsSchema,
  outputLabels: (settings, env) => {
    const outcome = outcomeLabels(settings, env);
    return [outcome.match, outcome.noMatch];
  },
  async create(settings, env) {
    const outcome = outcomeLabels(settings, env);
    const ratio = settings.fuzzy ? await loadRatio() : undefined;
    const fuzzy =
      settings.fuzzy && ratio ? { threshold: settings.fuzzy.threshold, ratio } : undefined;
    const matchers = settings.phrases.map(
      (phrase) =>
        new PhraseMatcher(phrase, {
          wholeWord: settings.whole_word,
          caseSensitive: settings.case_sensitive,
          fuzzy,
        }),
    );
    const words = new Set((settings.negation?.words ?? []).map((word) => word.toLowerCase()));
    const negation = {
      check: (text: string, start: number) =>
        settings.negation
          ? negationBefore(text, start, settings.negation.window, words)
          : undefined,
      flip: settings.negation?.mode === 'flip',
    };
    // Without a speaker or position scope the whole text is searched at once and a hit's turn is
    // found from its offset: no splitting of every transcript into turns.
    const limits = [
      settings.first_turns,
      settings.last_turns,
      settings.first_chars,
      settings.last_chars,
    ];
    const scoped = settings.speaker !== 'any' || limits.some((limit) => limit !== undefined);

    const scoreItem = (item: ScoreItemV1): ScoreOutputV1 => {
      const segments: Segment[] = scoped
        ? scopeSegments(item, settings)
        : [{ speaker: undefined, turn: -1, text: item.text }];
      const hits: LocatedHit[] = [];
      let found = 0;
      let searched = 0;
      for (const matcher of matchers) {
        const exact = firstHits(matcher, false, segments, negation);
        // Fuzzy search only for phrases that occur nowhere in the scope as written.
        const phraseHits = exact.length > 0 ? exact : firstHits(matcher, true, segments, negation);
        hits.push(...phraseHits);
        searched += 1;
        const present = phraseHits.some((hit) => !hit.negatedBy);
        if (present) found += 1;
        // Once the rule is decided the other phrases are not searched (their hits could not
        // change the label); with `flip`, any negated hit can, so every phrase is searched.
        if (!negation.flip && decided(settings.match, present)) break;
      }
      const flipped = settings.negation?.mode === 'flip' && hits.some((hit) => hit.negatedBy);
      const matched = flipped
        ? settings.match === 'none'
        : ruleMatches(settings.match, found, settings.phrases.length);
      return {
        value: matched ? outcome.match : outcome.noMatch,
        status: 'ok',
        confidence: 1,
        explanation: explain(hits, settings, matched, searched),
        trace: { hits: hits.map(traceOf) },
      };
    };
    return {
      specificationVersion: 'v1',
      kind: 'heuristic/keywords',
      name: env.name,
      labels: env.labels.length > 0 ? env.labels : [outcome.match, outcome.noMatch],
      fingerprint: hashValue({ kind: 'keywords', settings, outcome }),
      maxBatchSize: 256,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map(scoreItem);
      },
    };
  },
});
