import { outcomeNames, type ResultIndex } from './result-index.js';

/** Flipped items listed per direction; the counts cover them all. */
export const listedFlips = 100;

/** An item one run got right and the other not, for one compared score. */
export interface Flip {
  itemId: string;
  lineA: number;
  lineB: number;
}

export interface ScoreFlips {
  scoreA: string;
  scoreB: string;
  /** Right in A, wrong (or failed) in B: the first `listedFlips`, and how many there are. */
  onlyA: Flip[];
  onlyACount: number;
  onlyB: Flip[];
  onlyBCount: number;
}

/**
 * Whether line `number` was due an answer with a gold label and got it right, as `compareRuns`
 * counts it (errors count as wrong); undefined when not due (no gold, skipped, no answer).
 */
function judged(index: ResultIndex, number: number): boolean | undefined {
  if (index.goldIds[number] === -1) return undefined;
  if (index.statuses.list[index.statusIds[number]!] === 'error') return false;
  const outcome = outcomeNames[index.outcomes[number]!];
  return outcome === 'unjudged' ? undefined : outcome === 'correct';
}

/** The line of `score` for each item of `index`. */
function linesOfScore(index: ResultIndex, score: string): Map<string, number> {
  const id = index.scores.find(score);
  const lines = new Map<string, number>();
  if (id === undefined) return lines;
  for (let number = 0; number < index.lineCount; number += 1)
    if (index.scoreIds[number] === id) lines.set(index.itemId(number), number);
  return lines;
}

/** The items that flipped between two runs for a pair of scores (counts match McNemar's). */
export function flips(
  indexA: ResultIndex,
  indexB: ResultIndex,
  scoreA: string,
  scoreB: string,
): ScoreFlips {
  const linesA = linesOfScore(indexA, scoreA);
  const result: ScoreFlips = { scoreA, scoreB, onlyA: [], onlyACount: 0, onlyB: [], onlyBCount: 0 };
  const scoreIdB = indexB.scores.find(scoreB);
  for (let lineB = 0; lineB < indexB.lineCount; lineB += 1) {
    if (indexB.scoreIds[lineB] !== scoreIdB) continue;
    const itemId = indexB.itemId(lineB);
    const lineA = linesA.get(itemId);
    if (lineA === undefined) continue;
    const rightA = judged(indexA, lineA);
    const rightB = judged(indexB, lineB);
    if (rightA === undefined || rightB === undefined || rightA === rightB) continue;
    if (rightA) {
      result.onlyACount += 1;
      if (result.onlyA.length < listedFlips) result.onlyA.push({ itemId, lineA, lineB });
    } else {
      result.onlyBCount += 1;
      if (result.onlyB.length < listedFlips) result.onlyB.push({ itemId, lineA, lineB });
    }
  }
  return result;
}
