import type { RunResult } from './run-answers.js';

/** Interns strings (scores, labels, statuses): stored once, compared as numbers. */
export class Names {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
  /** The id of a name seen before, else undefined. */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

/** Typed arrays grown to `size` (doubling), the values kept; new places hold `fill`. */
function grown<Values extends Float64Array | Int32Array | Uint32Array>(
  values: Values,
  size: number,
  make: (size: number) => Values,
  fill: number,
): Values {
  if (size <= values.length) return values;
  const bigger = make(Math.max(size, values.length * 2));
  bigger.set(values as ArrayLike<number> as never);
  bigger.fill(fill, values.length);
  return bigger;
}

/**
 * One score's last result of each item, by item number: typed arrays, about 30 bytes an item (the
 * results themselves, texts and all, took 1.9 GB for a million items).
 */
class ScoreColumn {
  /** When the item's first line of this score came (1-based; 0: the item has none). */
  firstSeen = new Uint32Array(0);
  /** The last line's confidence (NaN: none), answer and gold (label ids, -1: none), status ok (1). */
  confidence = new Float64Array(0);
  value = new Int32Array(0);
  label = new Int32Array(0);
  ok = new Uint32Array(0);
  /** Where the last line is (its byte offset, or its place in an array) and its bytes. */
  at = new Float64Array(0);
  bytes = new Uint32Array(0);

  reserve(items: number): void {
    this.firstSeen = grown(this.firstSeen, items, (size) => new Uint32Array(size), 0);
    this.confidence = grown(this.confidence, items, (size) => new Float64Array(size), Number.NaN);
    this.value = grown(this.value, items, (size) => new Int32Array(size), -1);
    this.label = grown(this.label, items, (size) => new Int32Array(size), -1);
    this.ok = grown(this.ok, items, (size) => new Uint32Array(size), 0);
    this.at = grown(this.at, items, (size) => new Float64Array(size), 0);
    this.bytes = grown(this.bytes, items, (size) => new Uint32Array(size), 0);
  }
}

/** A result of the table, as the ranking reads it. */
export interface TableResult {
  score: number;
  confidence: number | null;
  ok: boolean;
  value: number;
  label: number;
}

/**
 * A run's results, the last line of each item and score (as after a resume), without their texts:
 * items numbered in the order they first appear, scores in the order of their first line, and
 * where each last line is, to read an item's text again when it is queued.
 */
export class QueueTable {
  readonly scores = new Names();
  readonly labels = new Names();
  readonly itemIds: string[] = [];
  private readonly itemNumbers = new Map<string, number>();
  private readonly columns: ScoreColumn[] = [];
  private seen = 0;

  get itemCount(): number {
    return this.itemIds.length;
  }

  /** Adds a result (a later one of the same item and score replaces it), found at `at`. */
  add(result: Omit<RunResult, 'text'>, at: number, bytes = 0): void {
    let item = this.itemNumbers.get(result.item_id);
    if (item === undefined) {
      item = this.itemIds.length;
      this.itemIds.push(result.item_id);
      this.itemNumbers.set(result.item_id, item);
    }
    const score = this.scores.id(result.score);
    const column = this.columns[score] ?? new ScoreColumn();
    this.columns[score] = column;
    column.reserve(this.itemIds.length);
    this.seen += 1;
    if (column.firstSeen[item] === 0) column.firstSeen[item] = this.seen;
    column.confidence[item] = result.confidence ?? Number.NaN;
    column.value[item] = result.value === null ? -1 : this.labels.id(result.value);
    column.label[item] = result.label === null ? -1 : this.labels.id(result.label);
    column.ok[item] = result.status === 'ok' ? 1 : 0;
    column.at[item] = at;
    column.bytes[item] = bytes;
  }

  /** Item `item`'s results, in the order each score's first line of it came. */
  resultsOf(item: number): TableResult[] {
    const present: { seen: number; score: number }[] = [];
    for (const [score, column] of this.columns.entries()) {
      const seen = column.firstSeen[item] ?? 0;
      if (seen > 0) present.push({ seen, score });
    }
    present.sort((left, right) => left.seen - right.seen);
    return present.map(({ score }) => {
      const column = this.columns[score]!;
      const confidence = column.confidence[item]!;
      return {
        score,
        confidence: Number.isNaN(confidence) ? null : confidence,
        ok: column.ok[item] === 1,
        value: column.value[item]!,
        label: column.label[item]!,
      };
    });
  }

  /** Where the last line of item `item` and score `score` is: `at` and its bytes. */
  placeOf(item: number, score: number): { at: number; bytes: number } {
    const column = this.columns[score]!;
    return { at: column.at[item]!, bytes: column.bytes[item]! };
  }
}
