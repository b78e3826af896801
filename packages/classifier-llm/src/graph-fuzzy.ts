import { type PhraseHit, PhraseMatcher, type RatioFunction } from '@plexus/core';
import type { PlannedNode } from './graph-plan.js';

let ratio: Promise<RatioFunction> | undefined;

/** fuzzball, loaded by the first fuzzy node. */
function fuzzyRatio(): Promise<RatioFunction> {
  ratio ??= import('fuzzball').then((fuzzball) => fuzzball.ratio);
  return ratio;
}

/** Each fuzzy node's matchers, compiled once. */
const matchers = new WeakMap<PlannedNode, Promise<PhraseMatcher[]>>();

export function matchersOf(plan: PlannedNode, phrases: readonly string[], threshold: number) {
  let compiled = matchers.get(plan);
  if (!compiled) {
    compiled = fuzzyRatio().then((ratio) =>
      phrases.map(
        (phrase) =>
          new PhraseMatcher(phrase, {
            wholeWord: true,
            caseSensitive: false,
            fuzzy: { threshold, ratio },
          }),
      ),
    );
    matchers.set(plan, compiled);
  }
  return compiled;
}

/** The best match of any phrase in the text (exact beats fuzzy), or undefined. */
export function bestPhrase(
  text: string,
  compiled: readonly PhraseMatcher[],
): PhraseHit | undefined {
  let best: PhraseHit | undefined;
  for (const matcher of compiled) {
    for (const hit of [matcher.nextExact(text, 0), ...matcher.findFuzzy(text)])
      if (hit && (!best || hit.similarity > best.similarity)) best = hit;
  }
  return best;
}
