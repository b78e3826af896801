import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheKey, type ResultCache } from '../cache/cache.js';
import { DirectoryCache } from '../cache/directory-cache.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { type EngineResult, runEngineBatches } from './engine.js';
import { cardItems, testScores } from './engine-fixture.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const rowItems = (count: number) => cardItems(count, (index) => ({ metadata: { row: index } }));

const card = `name: X
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: number, depends_on: { Card: { operator: "==", value: "yes" } } }
`;

/** A directory cache that counts its lookups and writes. */
function countingCache() {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-engine-hits-'));
  folders.push(dir);
  const cache = new DirectoryCache<ScoreOutputV1>(dir);
  const counts = { lookups: 0, writes: 0 };
  const counted: ResultCache = {
    get: (key) => cache.get(key),
    getNow: (key) => {
      counts.lookups += 1;
      return cache.getNow(key);
    },
    set: (key, output) => {
      counts.writes += 1;
      return cache.set(key, output);
    },
  };
  return { cache, counted, counts };
}

async function groupsOf(options: Parameters<typeof runEngineBatches>[0]) {
  const groups: EngineResult[][] = [];
  for await (const group of runEngineBatches(options)) groups.push(group);
  return groups;
}

const outcome = (result: EngineResult) =>
  `${result.item.id}:${result.score}=${result.output.value}:${result.cached}:${result.latencyMs === 0}`;

describe('the engine, with every answer cached', () => {
  it('completes hits as the items are read, with the outputs and counts of a batch lookup', async () => {
    const scores = await testScores(card);
    const items = rowItems(1000);
    const { cache, counted, counts } = countingCache();
    const cold = await groupsOf({ scores, scorecard: 'X', items, cache: counted });
    const coldResults = cold.flat();
    // 1,000 Card results and 334 Lost results (every third item has "card"), written; the other
    // 666 Lost results are skipped by the condition (never cached).
    expect(coldResults).toHaveLength(2000);
    expect(coldResults.filter((result) => result.output.status === 'ok')).toHaveLength(1334);
    expect(counts.writes).toBe(1334);
    expect(coldResults.every((result) => !result.cached)).toBe(true);
    cache.close();

    const warm = new DirectoryCache<ScoreOutputV1>(cache.dir);
    counts.lookups = 0;
    const again = await groupsOf({
      scores,
      scorecard: 'X',
      items: (async function* () {
        yield items; // one array: a dataset's chunk
      })(),
      cache: {
        get: (key) => warm.get(key),
        getNow: (key) => {
          counts.lookups += 1;
          return warm.getNow(key);
        },
        set: () => Promise.reject(new Error('no write on a warm run')),
      },
    });
    const warmResults = again.flat();
    expect(warmResults.map(outcome).sort()).toEqual(
      coldResults
        .map((result) => {
          const cached = result.output.status === 'ok';
          return `${result.item.id}:${result.score}=${result.output.value}:${cached}:true`;
        })
        .sort(),
    );
    for (const result of warmResults) {
      const first = coldResults.find(
        (cold) => cold.item.id === result.item.id && cold.score === result.score,
      )!;
      expect(result.output).toEqual(JSON.parse(JSON.stringify(first.output)));
    }
    // One lookup per item and score: a hit is not looked up again in a batch.
    expect(counts.lookups).toBe(1334);
    // A window's worth (256 items, with their second score) completes in the turn the array
    // is taken, not a few per promise turn.
    expect(again[0]!.length).toBeGreaterThanOrEqual(256);
  });

  it('looks a miss up again in its batch: an item cached meanwhile is a hit', async () => {
    const scores = await testScores(
      'name: X\nscores:\n  - { name: Card, class: test/contains, word: card }\n',
    );
    const [entry] = scores;
    const item = { id: 'late', text: 'a card', metadata: {} };
    const key = cacheKey({
      fingerprint: entry!.fingerprint,
      text: item.text,
      metadata: item.metadata,
      upstream: {},
    });
    // One of the score's labels, not the one it would give "a card": only a hit answers it.
    const stored: ScoreOutputV1 = { value: 'no', status: 'ok' };
    let lookups = 0;
    const cache: ResultCache = {
      get: () => Promise.resolve(undefined),
      // The first lookup (as the item is read) misses; the batch's finds the entry.
      getNow: (asked) => {
        lookups += 1;
        expect(asked).toBe(key);
        return lookups === 1 ? undefined : stored;
      },
      set: () => Promise.resolve(),
    };
    const results = (await groupsOf({ scores, scorecard: 'X', items: [item], cache })).flat();
    expect(lookups).toBe(2);
    expect(results.map(outcome)).toEqual(['late:Card=no:true:true']);
  });

  it('a cache that throws fails the run as it did from the batch, with its error', async () => {
    const scores = await testScores(card);
    let lookups = 0;
    const cache: ResultCache = {
      get: () => Promise.resolve(undefined),
      getNow: () => {
        lookups += 1;
        throw new Error('the cache folder is gone');
      },
      set: () => Promise.resolve(),
    };
    await expect(groupsOf({ scores, scorecard: 'X', items: rowItems(10), cache })).rejects.toThrow(
      'the cache folder is gone',
    );
    // Looked up as queued, then again by the batch, which fails.
    expect(lookups).toBeGreaterThanOrEqual(2);
  });

  it('completes no hit once the run is aborted', async () => {
    const scores = await testScores(card);
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    let lookups = 0;
    const cache: ResultCache = {
      get: () => Promise.resolve(undefined),
      getNow: () => {
        lookups += 1;
        return { value: 'yes', status: 'ok' };
      },
      set: () => Promise.resolve(),
    };
    const results: EngineResult[] = [];
    try {
      for await (const group of runEngineBatches({
        scores,
        scorecard: 'X',
        items: rowItems(10),
        cache,
        signal: controller.signal,
      }))
        results.push(...group);
    } catch {
      // an aborted run may end with its reason
    }
    expect(results).toEqual([]);
    expect(lookups).toBe(0);
  });
});
