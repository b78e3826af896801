import { statSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, errorMessage, PlexusError, type RunComparison } from '@plexus/core';
import { pairOf } from '../score-pairs.js';
import { comparePage } from './compare-page.js';
import { flips, type ScoreFlips } from './flips.js';
import { type OpenedRun, openRun, textOf } from './run-folders.js';

/** The last comparisons, kept while both results files are unchanged. */
const comparisons = new Map<string, RunComparison>();
const keptComparisons = 16;
/**
 * The flipped items of a kept comparison (its files unchanged, so are they): found anew on each
 * view, they took 4.6 CPU s for runs of a million items.
 */
const keptFlips = new WeakMap<RunComparison, ScoreFlips[]>();

function fileStamp(dir: string): string {
  const stats = statSync(join(dir, 'results.jsonl'));
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

async function comparison(
  dirA: string,
  dirB: string,
  pairs: [string, string][],
): Promise<RunComparison> {
  const key = `${dirA}\u0000${fileStamp(dirA)}\u0000${dirB}\u0000${fileStamp(dirB)}\u0000${JSON.stringify(pairs)}`;
  const kept = comparisons.get(key);
  if (kept) return kept;
  const result = await compareRuns({ runA: dirA, runB: dirB, pairs, allowDifferentGold: true });
  if (comparisons.size >= keptComparisons) comparisons.delete(comparisons.keys().next().value!);
  comparisons.set(key, result);
  return result;
}

/**
 * `pair=A=B` parameters: score A of run A against score B of run B (else scores by name). One that
 * is no pair is a problem on the page (`pairOf`), not left out in silence.
 */
function pairsOf(query: URLSearchParams, runA: OpenedRun, runB: OpenedRun): [string, string][] {
  const names = {
    a: new Set(Object.keys(runA.info.fingerprints ?? {})),
    b: new Set(Object.keys(runB.info.fingerprints ?? {})),
  };
  return query.getAll('pair').map((value) => pairOf(value, names));
}

/** The compare page of `?a=RUN&b=RUN`; undefined (404) when a run is not in the runs folder. */
export async function comparePageFor(
  root: string,
  query: URLSearchParams,
): Promise<string | undefined> {
  const nameA = query.get('a') ?? '';
  const nameB = query.get('b') ?? '';
  const [runA, runB] = [await openRun(root, nameA), await openRun(root, nameB)];
  if (!runA || !runB) return undefined;
  let result: RunComparison | null = null;
  let problem: string | null = null;
  try {
    result = await comparison(runA.dir, runB.dir, pairsOf(query, runA, runB));
  } catch (error) {
    if (!PlexusError.isInstance(error)) throw error;
    problem = errorMessage(error);
  }
  let scoreFlips = result ? keptFlips.get(result) : undefined;
  if (!scoreFlips) {
    scoreFlips = (result?.scores ?? []).map((score) =>
      flips(runA.index, runB.index, score.score_a, score.score_b),
    );
    if (result) keptFlips.set(result, scoreFlips);
  }
  await runA.texts.ensure(runA.index.itemsWithoutText());
  return comparePage({
    runA: nameA,
    runB: nameB,
    comparison: result,
    problem,
    flips: scoreFlips,
    line: (run, number) => (run === 'a' ? runA : runB).index.readLine(number),
    textOf: (id) => textOf(runA, id),
  });
}
