import { defineScoreFactory, hashValue, type ScoreOutputV1 } from '@plexus/core';
import { type KeywordsSettings, keywordsSettingsSchema } from './keywords-settings.js';
import { outcomeLabels, ruleMatches } from './outcome-settings.js';
import { negationBefore, type PhraseHit, PhraseMatcher } from './phrase-matcher.js';
import { describeSegment, quote, type Segment, scopeSegments } from './text-scope.js';

interface LocatedHit extends PhraseHit {
  segment: Segment;
  negatedBy: string | undefined;
}

function explain(
  hits: readonly LocatedHit[],
  settings: KeywordsSettings,
  matched: boolean,
): string {
  const plain = hits.filter((hit) => !hit.negatedBy);
  const negated = hits.filter((hit) => hit.negatedBy);
  const parts: string[] = [];
  for (const hit of plain.slice(0, 3)) {
    const fuzzy =
      hit.similarity < 100 ? ` (fuzzy ${Math.round(hit.similarity)}%: "${hit.matched}")` : '';
    parts.push(
      `found "${hit.phrase}"${fuzzy} in ${describeSegment(hit.segment)}: "${quote(hit.segment.text, hit.start, hit.end)}"`,
    );
  }
  for (const hit of negated.slice(0, 2)) {
    parts.push(
      `"${hit.phrase}" negated by "${hit.negatedBy}" in ${describeSegment(hit.segment)}: "${quote(hit.segment.text, hit.start, hit.end)}"`,
    );
  }
  if (plain.length > 3) parts.push(`and ${plain.length - 3} more hits`);
  const found = new Set(plain.map((hit) => hit.phrase));
  const missing = settings.phrases.filter((phrase) => !found.has(phrase));
  if (missing.length > 0 && settings.match !== 'none')
    parts.push(`not found: ${missing.map((phrase) => `"${phrase}"`).join(', ')}`);
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
  create(settings, env) {
    const outcome = outcomeLabels(settings, env);
    const matchers = settings.phrases.map(
      (phrase) =>
        new PhraseMatcher(phrase, {
          wholeWord: settings.whole_word,
          caseSensitive: settings.case_sensitive,
          fuzzyThreshold: settings.fuzzy?.threshold,
        }),
    );
    const negationWords = new Set(
      (settings.negation?.words ?? []).map((word) => word.toLowerCase()),
    );
    const scoreItem = (item: Parameters<typeof scopeSegments>[0]): ScoreOutputV1 => {
      const hits: LocatedHit[] = [];
      for (const segment of scopeSegments(item, settings)) {
        for (const matcher of matchers) {
          for (const hit of matcher.find(segment.text)) {
            const negatedBy = settings.negation
              ? negationBefore(segment.text, hit.start, settings.negation.window, negationWords)
              : undefined;
            hits.push({ ...hit, segment, negatedBy });
          }
        }
      }
      const found = new Set(hits.filter((hit) => !hit.negatedBy).map((hit) => hit.phrase)).size;
      const flipped = settings.negation?.mode === 'flip' && hits.some((hit) => hit.negatedBy);
      const matched = flipped
        ? settings.match === 'none'
        : ruleMatches(settings.match, found, settings.phrases.length);
      return {
        value: matched ? outcome.match : outcome.noMatch,
        status: 'ok',
        confidence: 1,
        explanation: explain(hits, settings, matched),
        trace: {
          hits: hits.slice(0, 20).map((hit) => ({
            phrase: hit.phrase,
            matched: hit.matched,
            speaker: hit.segment.speaker ?? null,
            turn: hit.segment.turn,
            start: hit.start,
            similarity: hit.similarity,
            negated_by: hit.negatedBy ?? null,
          })),
        },
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
