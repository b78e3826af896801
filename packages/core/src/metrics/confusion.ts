/** Counts of (gold, predicted) label pairs, added one at a time. */
export class ConfusionCounts {
  private readonly cells = new Map<string, Map<string, number>>();
  total = 0;

  add(gold: string, predicted: string, count = 1): void {
    let row = this.cells.get(gold);
    if (!row) {
      row = new Map();
      this.cells.set(gold, row);
    }
    row.set(predicted, (row.get(predicted) ?? 0) + count);
    this.total += count;
  }

  /** Sorted union of gold and predicted labels. */
  labels(): string[] {
    const all = new Set<string>();
    for (const [gold, row] of this.cells) {
      all.add(gold);
      for (const predicted of row.keys()) all.add(predicted);
    }
    return [...all].sort();
  }

  /** Rows = gold, columns = predicted, in the order of `labels`. */
  matrix(labels: readonly string[]): number[][] {
    return labels.map((gold) =>
      labels.map((predicted) => this.cells.get(gold)?.get(predicted) ?? 0),
    );
  }

  /**
   * Every non-empty cell, for resampling, sorted by gold then predicted label: a seeded bootstrap
   * gives the same intervals for the same counts whatever order the results arrived in.
   */
  entries(): { gold: string; predicted: string; count: number }[] {
    const result = [];
    for (const gold of [...this.cells.keys()].sort()) {
      const row = this.cells.get(gold)!;
      for (const predicted of [...row.keys()].sort())
        result.push({ gold, predicted, count: row.get(predicted)! });
    }
    return result;
  }
}
