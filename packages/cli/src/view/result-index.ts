import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type LabelNormalization, normalizeLabel, type ResultLine, RunMetrics } from '@plexus/core';
import { type ItemText, keptIndexes, searchedTextChars, snippetChars } from './item-texts.js';
import { addTo, labelKeys } from './label-keys.js';
import { TextStore } from './text-store.js';

/** Characters of an explanation or error kept for the text search (the page says so). */
export const searchedExplanationChars = 1000;
/** Bytes read from results.jsonl at a time while indexing. */
const chunkBytes = 4 * 1024 * 1024;

/** A score's name and how it compares labels. */
export interface ScoreNormalization {
  name: string;
  normalization: LabelNormalization | undefined;
}

/** How an answer compares with its gold label. */
export type Outcome = 'correct' | 'incorrect' | 'unjudged';

/** Interns strings: a label, score or status is stored once and compared as a number. */
class Names {
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
  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

/**
 * An index of one `results.jsonl`: per line its byte range, item id, score, status, gold and
 * predicted label, outcome and a lowercased search text. Built once, then extended with the lines
 * appended since (a live run); a file that was replaced or shrank is indexed again.
 */
export class ResultIndex {
  readonly offsets: number[] = [];
  readonly lengths: number[] = [];
  /** Item number (into `items`) of each line. */
  readonly itemOfLine: number[] = [];
  readonly scoreIds: number[] = [];
  readonly statusIds: number[] = [];
  /**
   * Label ids of the gold label and of the answer as the metrics name them (the score's
   * `normalize_labels`: `Yes ` and `yes` are one label, as in the confusion matrix); -1 when absent.
   */
  readonly goldIds: number[] = [];
  readonly valueIds: number[] = [];
  /** Per score id, the label ids its lines have as gold, and as answers. */
  readonly goldOfScore: Set<number>[] = [];
  readonly valuesOfScore: Set<number>[] = [];
  readonly outcomes: Outcome[] = [];
  /** Per line: its item id and labels (as written and as the metrics name them), lowercased. */
  readonly searchText = new TextStore();
  /** Per line: the start of its explanation and error, lowercased. */
  readonly explanationText = new TextStore();
  readonly scores = new Names();
  readonly statuses = new Names();
  readonly labels = new Names();
  /** The item ids, in the order first seen, and their numbers. */
  readonly items: string[] = [];
  readonly itemNumbers = new Map<string, number>();
  /** Line numbers (into the arrays above) of each item, by item number, in file order. */
  readonly linesOfItemNumber: number[][] = [];
  /** Metrics over the lines read so far (a live run has no metrics.json yet), labels compared as the scores do. */
  readonly metrics: RunMetrics;
  /**
   * Item texts the result lines keep (`text`, the first characters; `text_length` when cut), by
   * item number: the first line of an item with a text gives it. Runs written before lines kept
   * texts have none here (see `ItemTexts`).
   */
  readonly textOfItem: (ItemText | undefined)[] = [];
  /** The start of each kept text, lowercased, for the search; entry n is item `itemOfText[n]`. */
  readonly itemText = new TextStore();
  readonly itemOfText: number[] = [];
  /** Lines that were not JSON (a line cut short by a crash): not results. */
  unreadableLines = 0;
  /** Lines whose result came from the cache (`cached: true`). */
  cachedLines = 0;
  private bytesIndexed = 0;
  private inode = -1;
  private modified = -1;
  private size = -1;

  constructor(
    readonly path: string,
    /** Each score's `normalize_labels`, for the metrics (see `runScoring`). */
    readonly normalizations: readonly ScoreNormalization[] = [],
  ) {
    this.metrics = new RunMetrics(normalizations);
  }

  private readonly normalizers = new Map<string, (label: string) => string>();

  /** Score `score`'s label normalisation, remembered per label (a run has few). */
  normalizerOf(score: string): (label: string) => string {
    let normalizer = this.normalizers.get(score);
    if (!normalizer) {
      const options = this.normalizations.find((entry) => entry.name === score)?.normalization;
      const known = new Map<string, string>();
      normalizer = (label) => {
        let key = known.get(label);
        if (key === undefined) {
          key = normalizeLabel(label, options);
          if (known.size < 4096) known.set(label, key);
        }
        return key;
      };
      this.normalizers.set(score, normalizer);
    }
    return normalizer;
  }

  get lineCount(): number {
    return this.offsets.length;
  }

  /** Whether the file was replaced or cut shorter than what was indexed (a resume rewrites it). */
  replaced(): boolean {
    const stats = statSync(this.path);
    return stats.ino !== this.inode || stats.size < this.bytesIndexed;
  }

  /** Reads the lines appended since the last call; returns whether anything changed. */
  refresh(): boolean {
    const stats = statSync(this.path);
    if (stats.size === this.size && stats.mtimeMs === this.modified && stats.ino === this.inode)
      return false;
    this.inode = stats.ino;
    this.modified = stats.mtimeMs;
    this.size = stats.size;
    const fd = openSync(this.path, 'r');
    try {
      this.readFrom(fd, stats.size);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  private readFrom(fd: number, size: number): void {
    const buffer = Buffer.alloc(chunkBytes);
    let carry: Buffer = Buffer.alloc(0);
    let position = this.bytesIndexed;
    while (position < size) {
      const read = readSync(fd, buffer, 0, Math.min(chunkBytes, size - position), position);
      if (read === 0) break;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer;
      const end = carry.length + read;
      const chunkStart = position - carry.length;
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline !== -1 && newline < end; ) {
        if (newline > start) this.addLine(chunk, start, newline, chunkStart + start);
        start = newline + 1;
        newline = chunk.indexOf(10, start);
      }
      carry = Buffer.from(chunk.subarray(start, end));
      position += read;
      this.bytesIndexed = chunkStart + start;
    }
  }

  private addLine(chunk: Buffer, start: number, end: number, offset: number): void {
    let line: ResultLine;
    try {
      line = JSON.parse(chunk.toString('utf8', start, end)) as ResultLine;
    } catch {
      this.unreadableLines += 1;
      return;
    }
    if (typeof line?.item_id !== 'string' || typeof line.score !== 'string') {
      this.unreadableLines += 1;
      return;
    }
    const number = this.offsets.length;
    this.offsets.push(offset);
    this.lengths.push(end - start);
    this.itemOfLine.push(this.itemNumber(line.item_id, number));
    this.scoreIds.push(this.scores.id(line.score));
    this.statusIds.push(this.statuses.id(String(line.status)));
    const [gold, value] = labelKeys(line, this.normalizerOf(line.score));
    const score = this.scoreIds[number]!;
    this.goldIds.push(gold === null ? -1 : this.labels.id(gold));
    this.valueIds.push(value === null ? -1 : this.labels.id(value));
    if (gold !== null) addTo(this.goldOfScore, score, this.goldIds[number]!);
    if (value !== null) addTo(this.valuesOfScore, score, this.valueIds[number]!);
    this.outcomes.push(outcomeOf(line));
    const explanation = (line.explanation ?? '').slice(0, searchedExplanationChars);
    const error = line.error?.message?.slice(0, searchedExplanationChars) ?? '';
    this.searchText.add(
      `${line.item_id}\n${line.value ?? ''}\n${line.label ?? ''}\n${value ?? ''}\n${gold ?? ''}`,
    );
    this.explanationText.add(`${explanation}\n${error}`);
    this.metrics.add(line);
    if (line.cached === true) this.cachedLines += 1;
    const item = this.itemOfLine[number]!;
    if (typeof line.text === 'string' && this.textOfItem[item] === undefined) {
      this.textOfItem[item] = {
        snippet: line.text.slice(0, snippetChars),
        length: line.text_length ?? line.text.length,
        whole: line.text_length === undefined,
      };
      this.itemText.add(line.text.slice(0, searchedTextChars));
      this.itemOfText.push(item);
    }
  }

  private itemNumber(id: string, line: number): number {
    let item = this.itemNumbers.get(id);
    if (item === undefined) {
      item = this.items.length;
      this.items.push(id);
      this.itemNumbers.set(id, item);
      this.linesOfItemNumber.push([line]);
    } else this.linesOfItemNumber[item]!.push(line);
    return item;
  }

  /** The item id of line `number`. */
  itemId(number: number): string {
    return this.items[this.itemOfLine[number]!]!;
  }

  /** The ids of the items no result line gave a text (runs written before lines kept it). */
  itemsWithoutText(): string[] {
    return this.items.filter((_, item) => this.textOfItem[item] === undefined);
  }

  /** The lines of item `id`, in file order; undefined for an id the run has not scored. */
  linesOf(id: string): number[] | undefined {
    const item = this.itemNumbers.get(id);
    return item === undefined ? undefined : this.linesOfItemNumber[item];
  }

  /** The full stored line `number` (explanation, trace and all), read from the file. */
  readLine(number: number): ResultLine {
    const buffer = Buffer.alloc(this.lengths[number]!);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offsets[number]!);
    } finally {
      closeSync(fd);
    }
    return JSON.parse(buffer.toString('utf8')) as ResultLine;
  }
}

/** Correct or incorrect as the run judged it (its own `correct`); unjudged without gold or answer. */
export function outcomeOf(line: ResultLine): Outcome {
  if (line.status !== 'ok' || line.value === null || line.label === null) return 'unjudged';
  const correct = line.correct ?? line.value === line.label;
  return correct ? 'correct' : 'incorrect';
}

const indexes = new Map<string, ResultIndex>();

/**
 * The index of a results file, built once and kept while the file is unchanged; lines appended
 * since the last request are added; a replaced file, or scores that now compare labels otherwise
 * (a resume with an edited scorecard), is indexed again. The `keptIndexes` last used are kept.
 */
export function resultIndex(path: string, scores: readonly ScoreNormalization[] = []): ResultIndex {
  let index = indexes.get(path);
  const changed = index && JSON.stringify(index.normalizations) !== JSON.stringify(scores);
  if (!index || changed || index.replaced()) index = new ResultIndex(path, scores);
  indexes.delete(path);
  indexes.set(path, index);
  while (indexes.size > keptIndexes) indexes.delete(indexes.keys().next().value!);
  index.refresh();
  return index;
}
