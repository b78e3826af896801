import type { PhraseHit } from '@plexus/core';
import type { KeywordsSettings } from './keywords-settings.js';
import { describeSegment, quote, type Segment } from './text-scope.js';

/** A phrase's hit placed in its segment, with the negation word before it, if any. */
export interface LocatedHit extends PhraseHit {
  segment: Segment;
  negatedBy: string | undefined;
}

export function traceOf(hit: LocatedHit) {
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

function describeHit(hit: LocatedHit): string {
  const where = `${describeSegment(hit.segment)}: "${quote(hit.segment.text, hit.start, hit.end)}"`;
  if (hit.negatedBy) return `"${hit.phrase}" negated by "${hit.negatedBy}" in ${where}`;
  const fuzzy =
    hit.similarity < 100 ? ` (fuzzy ${Math.round(hit.similarity)}%: "${hit.matched}")` : '';
  return `found "${hit.phrase}"${fuzzy} in ${where}`;
}

/** Each phrase's places in a score's list (a phrase may be listed twice), made once per list. */
const placesOf = new WeakMap<readonly string[], Map<string, number[]>>();

function places(phrases: readonly string[]): Map<string, number[]> {
  let found = placesOf.get(phrases);
  if (!found) {
    found = new Map();
    for (const [index, phrase] of phrases.entries()) {
      const list = found.get(phrase);
      if (list) list.push(index);
      else found.set(phrase, [index]);
    }
    placesOf.set(phrases, found);
  }
  return found;
}

/** Phrases an explanation names as not found, at most (a score may have 100,000 phrases). */
const missingListed = 50;

export function explain(
  hits: readonly LocatedHit[],
  settings: KeywordsSettings,
  heading: string,
  counts: { searched: number; found: number },
): string {
  const searched = counts.searched;
  let parts = '';
  for (const hit of hits) parts += `${parts ? '; ' : ''}${describeHit(hit)}`;
  if (settings.match !== 'none' && counts.found < searched) {
    // Phrases with a hit that is not negated; the others among those searched were not found.
    const plain = new Set<string>();
    for (const hit of hits) if (!hit.negatedBy) plain.add(hit.phrase);
    let foundSearched = 0;
    for (const phrase of plain)
      for (const at of places(settings.phrases).get(phrase) ?? [])
        if (at < searched) foundSearched += 1;
    const notFound = searched - foundSearched;
    let missing = '';
    let named = 0;
    for (let index = 0; index < searched && named < missingListed; index += 1) {
      const phrase = settings.phrases[index]!;
      if (plain.has(phrase)) continue;
      named += 1;
      missing += `${missing ? ', ' : ''}"${phrase}"`;
    }
    if (notFound > named) missing += ` and ${notFound - named} more`;
    if (missing) parts += `${parts ? '; ' : ''}not found: ${missing}`;
  }
  return heading + parts;
}
