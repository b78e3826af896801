import {
  defineScoreFactory,
  FuzzyTimeLimit,
  hashValue,
  negationBefore,
  PhraseIndex,
  PhraseMatcher,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { composedText } from './composed-text.js';
import { loadRatio } from './fuzzy-ratio.js';
import { explain, type LocatedHit, traceOf } from './keywords-explain.js';
import { type KeywordsSettings, keywordsSettingsSchema } from './keywords-settings.js';
import { outcomeLabels, ruleMatches } from './outcome-settings.js';
import { SegmentHits } from './segment-hits.js';
import { placed, ScopedSegments, type SegmentSource, WholeText } from './text-scope.js';

type NegationCheck = (text: string, start: number) => string | undefined;

/**
 * Where a phrase's hits come from: its matcher's word windows (fuzzy), the score's index (exact,
 * many phrases) or its matcher's regex (exact, a few phrases: it stops at the first hit).
 */
interface PhraseSearch {
  phrase: number;
  matcher: PhraseMatcher;
  fuzzy: boolean;
  exact: SegmentHits | undefined;
  /** When fuzzy matching of this item must stop (`performance.now()`; see `FuzzyTimeLimit`). */
  deadline: number;
}

/**
 * Adds to `hits` the first hit of a phrase that is not negated and the first negated one: enough
 * to decide any/all/none (and `flip`) and to say where, without scanning every hit. The scan stops
 * at the first plain hit unless a negated one still matters (`flip` mode). True when a hit that is
 * not negated was found.
 */
function firstHits(
  search: PhraseSearch,
  segments: SegmentSource,
  negation: { check: NegationCheck | undefined; flip: boolean },
  hits: LocatedHit[],
): boolean {
  let plain = false;
  let negated = false;
  for (let at = 0, segment = segments.at(0); segment; segment = segments.at(++at)) {
    const text = segment.text;
    const found = search.fuzzy
      ? search.matcher.findFuzzy(text, search.deadline)
      : search.exact?.of(at, text, search.phrase);
    let index = 0;
    for (;;) {
      const hit = found ? found[index++] : search.matcher.nextExact(text, index);
      if (!hit) break;
      if (!found) index = hit.end;
      const word = negation.check?.(text, hit.start);
      if (word ? negated : plain) continue;
      // Each hit is a new object, used once per item: it is placed as it is, not copied.
      const located = hit as LocatedHit;
      located.segment = placed(segment, hit.start);
      located.negatedBy = word;
      hits.push(located);
      if (word) negated = true;
      else plain = true;
      if (plain && (negated || !negation.flip)) return true;
    }
  }
  return plain;
}

/** The error of an item whose fuzzy matching ran out of time, with what to change. */
function fuzzyTimedOut(limit: FuzzyTimeLimit, phrases: number, timeoutMs: number): ScoreOutputV1 {
  return {
    value: null,
    status: 'error',
    error: {
      message: `fuzzy matching of ${phrases} phrases took longer than ${timeoutMs} ms on this item (a text of ${limit.words} words): read less of it (speaker, first_turns, a window processor), use fewer phrases or exact matching, or raise fuzzy.timeout_ms`,
      code: 'keywords_timeout',
      retryable: false,
    },
  };
}

/** Whether one phrase's presence settles `any` (found), `all` (missing) or `none` (found). */
function decided(match: KeywordsSettings['match'], present: boolean): boolean {
  return match === 'all' ? !present : present;
}

export interface KeywordsFactoryOptions {
  /**
   * From this many phrases on, exact hits come from one `PhraseIndex` pass per text; below, each
   * phrase runs its own regex (stopping at its first hit). Default 32; both give the same results.
   */
  indexFrom?: number;
}

/** The item with its text in NFC (see `composedText`). */
function composedItem(item: ScoreItemV1): ScoreItemV1 {
  const text = composedText(item.text);
  return text === item.text ? item : { ...item, text };
}

/** `heuristic/keywords`: phrases found in (a part of) the text. */
export function createKeywordsFactory(options: KeywordsFactoryOptions = {}) {
  const indexFrom = options.indexFrom ?? 32;
  return defineScoreFactory({
    specificationVersion: 'v1',
    kind: 'keywords',
    settingsSchema: keywordsSettingsSchema,
    outputLabels: (settings, env) => {
      const outcome = outcomeLabels(settings, env);
      return [outcome.match, outcome.noMatch];
    },
    async create(written, env) {
      const outcome = outcomeLabels(written, env);
      // Phrases and negation words compared in NFC, as texts are (see `composedItem`).
      const settings = {
        ...written,
        phrases: written.phrases.map((phrase) => phrase.normalize('NFC')),
        ...(written.negation && {
          negation: {
            ...written.negation,
            words: written.negation.words.map((word) => word.normalize('NFC')),
          },
        }),
      };
      const ratio = settings.fuzzy ? await loadRatio() : undefined;
      const fuzzy =
        settings.fuzzy && ratio ? { threshold: settings.fuzzy.threshold, ratio } : undefined;
      // Many phrases: one index finds every phrase's exact hits in one pass (100,000 phrases load
      // in about a second, where a regex each took 20 s); a few: a regex each, stopping at a hit.
      const index =
        settings.phrases.length >= indexFrom
          ? new PhraseIndex(settings.phrases, {
              wholeWord: settings.whole_word,
              caseSensitive: settings.case_sensitive,
            })
          : undefined;
      const matchers = settings.phrases.map(
        (phrase) =>
          new PhraseMatcher(phrase, {
            wholeWord: settings.whole_word,
            caseSensitive: settings.case_sensitive,
            fuzzy,
          }),
      );
      const words = new Set((settings.negation?.words ?? []).map((word) => word.toLowerCase()));
      const window = settings.negation?.window ?? 0;
      const negation = {
        check: settings.negation
          ? (text: string, start: number) => negationBefore(text, start, window, words)
          : undefined,
        flip: settings.negation?.mode === 'flip',
      };
      // Without a speaker or position scope the whole text is searched at once and a hit's turn is
      // found from its offset; with one, turns are read only as far as the search goes.
      const limits = [
        settings.first_turns,
        settings.last_turns,
        settings.first_chars,
        settings.last_chars,
      ];
      const scoped = settings.speaker !== 'any' || limits.some((limit) => limit !== undefined);
      const scope = settings.speaker === 'any' ? '' : ` (${settings.speaker} only)`;
      const wholeTextFirst = scoped && !index && settings.first_turns === undefined;
      const headings = {
        match: `match (${settings.match})${scope}: `,
        noMatch: `no match (${settings.match})${scope}: `,
      };

      // Explanations of an item without any hit, every phrase searched: the same for each such
      // item, made once (by heading).
      const nothingFound = new Map<string, string>();
      const explanationOf = (
        hits: LocatedHit[],
        heading: string,
        searched: number,
        found: number,
      ) => {
        if (hits.length > 0 || searched !== settings.phrases.length)
          return explain(hits, settings, heading, { searched, found });
        let text = nothingFound.get(heading);
        if (text === undefined) {
          text = explain(hits, settings, heading, { searched, found });
          nothingFound.set(heading, text);
        }
        return text;
      };

      const scoreItem = (given: ScoreItemV1): ScoreOutputV1 => {
        try {
          return scoreWithin(given);
        } catch (error) {
          if (!(error instanceof FuzzyTimeLimit)) throw error;
          return fuzzyTimedOut(error, settings.phrases.length, settings.fuzzy!.timeout_ms);
        }
      };

      const scoreWithin = (given: ScoreItemV1): ScoreOutputV1 => {
        const item = composedItem(given);
        const segments: SegmentSource = scoped
          ? new ScopedSegments(item, settings)
          : new WholeText(item.text);
        const hits: LocatedHit[] = [];
        const exact = index && new SegmentHits(index);
        let found = 0;
        let searched = 0;
        // One search object per item, pointed at each phrase in turn.
        const deadline = fuzzy
          ? performance.now() + settings.fuzzy!.timeout_ms
          : Number.POSITIVE_INFINITY;
        const search: PhraseSearch = {
          phrase: 0,
          matcher: matchers[0]!,
          fuzzy: false,
          exact,
          deadline,
        };
        // A phrase with no exact hit in the whole text has none in its turns: they are not read
        // for it. Only where the scope reads every turn of a speaker (with `first_turns` the first
        // turns are cheaper to search than the text) and the phrases are few (each its own regex).
        const turnsOfText =
          wholeTextFirst && segments instanceof ScopedSegments && segments.wholeTurns();
        for (let phrase = 0; phrase < matchers.length; phrase += 1) {
          const before = hits.length;
          search.phrase = phrase;
          search.matcher = matchers[phrase]!;
          search.fuzzy = false;
          let present =
            turnsOfText && !search.matcher.nextExact(item.text, 0)
              ? false
              : firstHits(search, segments, negation, hits);
          // Fuzzy search only for phrases that occur nowhere in the scope as written.
          if (fuzzy && hits.length === before) {
            search.fuzzy = true;
            present = firstHits(search, segments, negation, hits);
          }
          searched += 1;
          if (present) found += 1;
          // Once the rule is decided the other phrases are not searched (their hits could not
          // change the label); with `flip`, any negated hit can, so every phrase is searched.
          if (!negation.flip && decided(settings.match, present)) break;
          // A phrase not found was looked for in every segment, so the index knows every phrase
          // with a hit: those without one (not deciding `any` or `none`) count as searched at once.
          if (exact && !present && !fuzzy && settings.match !== 'all') {
            const next = exact.nextWithHits(phrase + 1, matchers.length);
            searched += next - phrase - 1;
            phrase = next - 1;
          }
        }
        const flipped = negation.flip && hits.some((hit) => hit.negatedBy);
        const matched = flipped
          ? settings.match === 'none'
          : ruleMatches(settings.match, found, settings.phrases.length);
        return {
          value: matched ? outcome.match : outcome.noMatch,
          status: 'ok',
          confidence: 1,
          explanation: explanationOf(
            hits,
            matched ? headings.match : headings.noMatch,
            searched,
            found,
          ),
          trace: { hits: hits.map(traceOf) },
        };
      };
      return {
        specificationVersion: 'v1',
        kind: 'heuristic/keywords',
        name: env.name,
        labels: env.labels.length > 0 ? env.labels : [outcome.match, outcome.noMatch],
        fingerprint: hashValue({ kind: 'keywords', settings: written, outcome }),
        maxBatchSize: 256,
        cacheable: false,
        async doScore({ items, signal }) {
          signal.throwIfAborted();
          return items.map(scoreItem);
        },
      };
    },
  });
}

export const keywordsFactory = createKeywordsFactory();
