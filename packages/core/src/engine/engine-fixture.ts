// Scores and items for the engine's tests: a scorecard of the `test/contains` score, and items
// whose text contains "card" for every third one.
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import type { EngineItem } from './engine.js';

/** The loaded scores of a scorecard written in YAML with `test/contains` scores. */
export async function testScores(yaml: string): Promise<LoadedScore[]> {
  const card = await parseScorecard(yaml, {
    file: '/tmp/engine-test-card.yaml',
    plugins: [testPlugin],
    cacheDir: '/tmp',
  });
  return card.scores;
}

/** `count` items `item-N`; every third one's text contains "card". */
export function cardItems<Extra extends object = object>(
  count: number,
  extra: (index: number) => Extra = () => ({}) as Extra,
): (EngineItem & Extra)[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `item-${index}`,
    text: index % 3 === 0 ? `a card, number ${index}` : `hello ${index}`,
    metadata: {},
    ...extra(index),
  }));
}

/** Every value of an async iterable, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const value of iterable) all.push(value);
  return all;
}
