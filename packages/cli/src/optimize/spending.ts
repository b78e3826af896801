import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { PlexusError } from '@plexus/core';

/**
 * `spent.json`: the dollars spent, and what they count, so that a run killed anywhere and resumed
 * counts every paid call once. `evaluations`: the evaluation folders (relative to the output
 * folder) whose calls are in `usd`; `optimizer`: the optimizer answers (their cache keys) in it.
 * A file without them (an earlier Plexus) is `legacy`: its folders are taken as counted.
 */
interface SpentFile {
  usd: number | null;
  evaluations?: string[];
  optimizer?: string[];
}

/** The dollars of the calls an evaluation folder's results.jsonl paid for (a line cut by a kill skipped). */
export function paidInFolder(dir: string): number | null {
  const path = join(dir, 'results.jsonl');
  if (!existsSync(path)) return 0;
  let total: number | null = 0;
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    let line: { cached?: boolean; cost_usd?: number | null };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      continue;
    }
    if (line.cached === true || line.cost_usd === undefined) continue;
    total = total === null || line.cost_usd === null ? null : total + line.cost_usd;
  }
  return total;
}

/** Dollars spent so far, kept in `spent.json` after every paid step (a resumed run goes on counting). */
export class Spending {
  private readonly path: string;
  private readonly legacy: boolean;
  private readonly evaluations: Set<string>;
  private readonly optimizer: Set<string>;
  private usd: number | null;

  constructor(
    private readonly outDir: string,
    private readonly maxUsd: number | undefined,
  ) {
    this.path = join(outDir, 'spent.json');
    const kept: SpentFile = existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as SpentFile)
      : { usd: 0, evaluations: [], optimizer: [] };
    this.legacy = kept.evaluations === undefined;
    this.evaluations = new Set(kept.evaluations ?? []);
    this.optimizer = new Set(kept.optimizer ?? []);
    this.usd = kept.usd;
  }

  spent = (): number | null => this.usd;

  /**
   * Before an evaluation in `dir`: a folder left by one that was killed holds calls paid and not
   * counted (its items come back from the cache at no cost): they are counted now, once.
   */
  beginEvaluation = (dir: string): void => {
    if (existsSync(dir) && !this.legacy && !this.evaluations.has(this.name(dir)))
      renameSync(dir, join(dirname(dir), `${basename(dir)}.interrupted-${Date.now()}`));
    for (const entry of existsSync(dirname(dir)) ? readdirSync(dirname(dir)) : []) {
      if (!entry.startsWith(`${basename(dir)}.interrupted-`)) continue;
      const aside = join(dirname(dir), entry);
      if (!this.evaluations.has(this.name(aside))) {
        this.add(paidInFolder(aside));
        this.evaluations.add(this.name(aside));
        this.save();
      }
      rmSync(aside, { recursive: true, force: true });
    }
    if (this.evaluations.delete(this.name(dir))) {
      rmSync(dir, { recursive: true, force: true });
      this.save();
    }
  };

  /** After an evaluation in `dir`: its calls counted, and the folder marked counted, together. */
  spendEvaluation = (dir: string, usd: number | null): void => {
    this.add(usd);
    this.evaluations.add(this.name(dir));
    this.save();
  };

  /**
   * An optimizer answer is counted once, whether it came now or from the cache of a killed run
   * (`usd`: what it cost when it was paid for; `cached`: it came from the cache now).
   */
  spendOptimizer = (answer: { key: string; usd: number | null; cached: boolean }): void => {
    if (this.optimizer.has(answer.key) || (this.legacy && answer.cached)) return;
    this.add(answer.usd);
    this.optimizer.add(answer.key);
    this.save();
  };

  remaining = (): number | undefined => {
    if (this.maxUsd === undefined || this.usd === null) return undefined;
    return Math.max(0, this.maxUsd - this.usd);
  };

  /** Before a call whose cost is bounded by `usd` only (the optimizer's): refused unless it fits. */
  reserve = (usd: number | null, what: string): void => {
    const { maxUsd, usd: spent } = this;
    if (maxUsd === undefined || spent === null) return;
    if (usd === null)
      throw new PlexusError(
        `--max-usd: the cost of ${what} cannot be bounded (no price); set --optimizer-price or drop --max-usd`,
      );
    if (spent + usd > maxUsd)
      throw new PlexusError(
        `--max-usd: ${what} may cost up to $${usd.toFixed(4)} (its messages and --optimizer-max-tokens of answer) and $${(maxUsd - spent).toFixed(4)} of $${maxUsd} is left; stopped before it (--resume continues with a higher budget)`,
      );
  };

  checkBudget = (): void => {
    const { maxUsd, usd: spent } = this;
    if (maxUsd === undefined) return;
    if (spent === null)
      throw new PlexusError(
        '--max-usd: the spending is unknown (a model has no price, or an answer reported no usage); set its pricing or drop --max-usd',
      );
    if (spent >= maxUsd)
      throw new PlexusError(
        `--max-usd: $${spent.toFixed(4)} spent of $${maxUsd}; stopped before the next paid step (--resume continues with a higher budget)`,
      );
  };

  private add(usd: number | null): void {
    this.usd = this.usd === null || usd === null ? null : this.usd + usd;
  }

  private name(dir: string): string {
    return relative(this.outDir, dir);
  }

  private save(): void {
    // A legacy file stays one: its completed folders were never marked.
    const file: SpentFile = this.legacy
      ? { usd: this.usd }
      : { usd: this.usd, evaluations: [...this.evaluations], optimizer: [...this.optimizer] };
    // Written whole, then renamed: a kill leaves the old file or the new one, never half of one.
    writeFileSync(`${this.path}.tmp`, `${JSON.stringify(file)}\n`);
    renameSync(`${this.path}.tmp`, this.path);
  }
}
