// A keywords score with many phrases finds them with one PhraseIndex pass per text; with a few,
// with a regex each. Both must give the same outputs (label, explanation with offsets, negation,
// scope, fuzzy hits, trace) on any item: compared here on random transcripts and settings.
import type { ScoreItemV1, ScoreOutputV1, ScoreV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { createKeywordsFactory } from './keywords-score.js';
import { keywordsSettingsSchema } from './keywords-settings.js';

/** A seeded generator (mulberry32): the same cases on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const words = ['bank', 'Bank', 'balance', 'balnce', 'not', 'never', 'help', 'loan', 'card', 'ſtop'];
const speakers = ['Agent', 'Caller', 'Customer'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function transcript(random: () => number): string {
  const turns = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
    const line = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(random, words));
    return `${pick(random, speakers)}: ${line.join(pick(random, [' ', '  ', ', ', '. ']))}`;
  });
  return random() < 0.2 ? turns.join(' ').replace(/^\w+: /, '') : turns.join('\n');
}

function settingsOf(random: () => number): unknown {
  const phrases = Array.from({ length: 1 + Math.floor(random() * (random() < 0.5 ? 5 : 60)) }, () =>
    Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(random, words)).join(' '),
  );
  return {
    phrases,
    match: pick(random, ['any', 'all', 'none']),
    whole_word: random() < 0.7,
    case_sensitive: random() < 0.2,
    ...(random() < 0.3 ? { fuzzy: { threshold: 80 } } : {}),
    ...(random() < 0.4 ? { negation: { mode: pick(random, ['ignore', 'flip']) } } : {}),
    ...(random() < 0.3 ? { speaker: pick(random, ['agent', 'caller']) } : {}),
    ...(random() < 0.2 ? { first_turns: 2 } : {}),
  };
}

async function create(indexFrom: number, settings: unknown): Promise<ScoreV1> {
  const factory = createKeywordsFactory({ indexFrom });
  const parsed = keywordsSettingsSchema.parse(settings);
  return factory.create(parsed, {
    name: 'K',
    labels: [],
    baseDir: '.',
    cacheDir: '.',
    dependsOn: [],
  });
}

async function outputs(score: ScoreV1, items: ScoreItemV1[]): Promise<ScoreOutputV1[]> {
  return score.doScore({
    items,
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
}

describe('heuristic/keywords with a phrase index', () => {
  it('gives the outputs of a regex per phrase, on 400 random settings and transcripts', async () => {
    const random = seeded(7);
    let hits = 0;
    for (let round = 0; round < 400; round += 1) {
      const settings = settingsOf(random);
      const items = Array.from({ length: 5 }, (_, index) => ({
        id: String(index),
        text: transcript(random),
        metadata: {},
        results: {},
      }));
      const indexed = await outputs(await create(1, settings), items);
      const perPhrase = await outputs(await create(Number.POSITIVE_INFINITY, settings), items);
      expect(indexed, JSON.stringify({ settings, items })).toEqual(perPhrase);
      for (const output of perPhrase)
        hits += (output.trace as { hits: unknown[] } | undefined)?.hits.length ?? 0;
    }
    expect(hits).toBeGreaterThan(500); // the cases really had hits
  });

  it('names at most 50 missing phrases in an explanation', async () => {
    const phrases = Array.from({ length: 120 }, (_, index) => `phrase${index}`);
    const score = await create(32, { phrases, match: 'any' });
    const [output] = await outputs(score, [
      { id: '1', text: 'nothing to see', metadata: {}, results: {} },
    ]);
    expect(output!.value).toBe('no');
    expect(output!.explanation).toContain('not found: "phrase0", "phrase1", "phrase2"');
    expect(output!.explanation).toMatch(/"phrase48", "phrase49" and 70 more$/);
  });
});
