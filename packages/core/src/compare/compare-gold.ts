import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { sameGold } from '../run/provenance.js';
import type { RunInfo, RunStatus } from '../run/run-folder.js';
import { effectiveRunInfo } from '../run/run-state.js';
import { normalizeLabel } from '../text/labels.js';

/** Compared items whose gold labels differ between the two runs, for one pair of scores. */
export interface GoldDifference {
  score_a: string;
  score_b: string;
  /** Compared items with a different gold label in each run. */
  items: number;
  /** Up to 5 of them: item id, gold in run A, gold in run B. */
  examples: { item_id: string; gold_a: string; gold_b: string }[];
}

async function runInfo(dir: string): Promise<RunInfo | undefined> {
  try {
    return effectiveRunInfo(dir, JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Checks that two runs compared item by item scored the same gold labels: per pair of scores,
 * equal gold digests in their run.json prove it at once (fast path); otherwise each compared
 * item's gold is checked as run B's lines stream by.
 */
export class GoldCheck {
  private readonly differences: GoldDifference[] = [];
  private readonly proven: boolean[] = [];

  private constructor(
    private readonly infos: { a: RunInfo | undefined; b: RunInfo | undefined },
    /** Each run's status as read (a run left `running` by a dead process is `interrupted`). */
    readonly statuses: { a: RunStatus | null; b: RunStatus | null },
  ) {}

  static async open(runA: string, runB: string): Promise<GoldCheck> {
    const [infoA, infoB] = await Promise.all([runInfo(runA), runInfo(runB)]);
    return new GoldCheck(
      { a: infoA, b: infoB },
      { a: infoA?.status ?? null, b: infoB?.status ?? null },
    );
  }

  /** Starts checking a pair of scores; returns its number for `check`. */
  addPair(scoreA: string, scoreB: string): number {
    this.proven.push(sameGold(this.infos.a?.data.gold, scoreA, this.infos.b?.data.gold, scoreB));
    this.differences.push({ score_a: scoreA, score_b: scoreB, items: 0, examples: [] });
    return this.differences.length - 1;
  }

  /**
   * One compared item: `goldA` normalised (as compare keeps it), `labelB` as run B stored it,
   * normalised by `normalize` (run B's score's way).
   */
  check(
    pair: number,
    itemId: string,
    goldA: string,
    labelB: string | null,
    normalize: (label: string) => string = normalizeLabel,
  ): void {
    if (this.proven[pair] || labelB === null) return;
    const goldB = normalize(labelB);
    if (goldB === goldA) return;
    const difference = this.differences[pair]!;
    difference.items += 1;
    if (difference.examples.length < 5)
      difference.examples.push({ item_id: itemId, gold_a: goldA, gold_b: goldB });
  }

  /**
   * Of the compared `pairs` (numbers from `addPair`), those whose gold differs; unless
   * `allowDifferent`, any is bad input (exit 2): the runs did not measure against the same
   * answers, so their difference means nothing.
   */
  finish(pairs: readonly number[], allowDifferent: boolean): GoldDifference[] {
    const found = pairs
      .map((pair) => this.differences[pair]!)
      .filter((difference) => difference.items > 0);
    if (found.length === 0 || allowDifferent) return found;
    throw new InvalidConfigError(
      found.map((difference) => ({
        path: `${difference.score_a} vs ${difference.score_b}`,
        message: `gold labels differ on ${difference.items} compared items (e.g. ${difference.examples
          .map(
            (example) => `${example.item_id}: "${example.gold_a}" in A, "${example.gold_b}" in B`,
          )
          .join(
            '; ',
          )}): the runs did not score the same gold. Compare runs of the same data, or pass --allow-different-gold`,
      })),
    );
  }
}
