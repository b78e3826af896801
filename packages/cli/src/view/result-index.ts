import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type LabelNormalization, type ResultLine, RunMetrics } from '@plexus/core';
import { Names } from '@plexus/feedback';
import { Column } from './columns.js';
import { type ItemText, searchedTextChars, snippetChars } from './item-texts.js';
import { addTo, labelKeys, outcomeNames, outcomeOf, rememberedNormalizer } from './label-keys.js';
import { eachWholeLine } from './line-reader.js';
import { TextStore } from './text-store.js';

/** Characters of an explanation or error kept for the text search (the page says so). */
export const searchedExplanationChars = 1000;

export { type Outcome, outcomeNames, outcomeOf } from './label-keys.js';

/** A score's name and how it compares labels. */
export interface ScoreNormalization {
  name: string;
  normalization: LabelNormalization | undefined;
}

/**
 * An index of one `results.jsonl`: per line its byte range, item, score, status, gold and predicted
 * label and outcome, in typed arrays (about 40 bytes a line); the texts a search looks at are in
 * files (`TextStore`), the rest is read from results.jsonl when a page shows it. Built once, then
 * extended with the lines appended since (a live run); a file that was replaced or shrank is
 * indexed again.
 */
export class ResultIndex {
  private readonly offsetColumn = new Column((size) => new Float64Array(size));
  private readonly lengthColumn = new Column((size) => new Uint32Array(size));
  private readonly itemColumn = new Column((size) => new Int32Array(size));
  private readonly scoreColumn = new Column((size) => new Int32Array(size));
  private readonly statusColumn = new Column((size) => new Int32Array(size));
  private readonly goldColumn = new Column((size) => new Int32Array(size));
  private readonly valueColumn = new Column((size) => new Int32Array(size));
  private readonly outcomeColumn = new Column((size) => new Uint8Array(size));
  /** Per line, the next line of its item (-1: none): an item's lines are a chain. */
  private readonly nextLineColumn = new Column((size) => new Int32Array(size));
  /** Per item number, its first and last line, and the first line that keeps its text (-1: none). */
  private readonly firstLineColumn = new Column((size) => new Int32Array(size));
  private readonly lastLineColumn = new Column((size) => new Int32Array(size));
  private readonly textLineColumn = new Column((size) => new Int32Array(size));
  /** Per score id, the label ids its lines have as gold, and as answers. */
  readonly goldOfScore: Set<number>[] = [];
  readonly valuesOfScore: Set<number>[] = [];
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
  /** Metrics over the lines read so far (a live run has no metrics.json yet), labels compared as the scores do. */
  readonly metrics: RunMetrics;
  /**
   * The start of each item text the result lines keep (the first line of an item with a text gives
   * it), lowercased, for the search; entry n is item `itemOfText[n]`. Runs written before lines
   * kept texts have none here (see `ItemTexts`).
   */
  readonly itemText = new TextStore();
  private readonly itemOfTextColumn = new Column((size) => new Int32Array(size));
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
      normalizer = rememberedNormalizer(options);
      this.normalizers.set(score, normalizer);
    }
    return normalizer;
  }

  get lineCount(): number {
    return this.offsetColumn.length;
  }

  /** Per line (up to `lineCount`): its item number (into `items`). */
  get itemOfLine(): Int32Array {
    return this.itemColumn.values;
  }
  get scoreIds(): Int32Array {
    return this.scoreColumn.values;
  }
  get statusIds(): Int32Array {
    return this.statusColumn.values;
  }
  /**
   * Label ids of the gold label and of the answer as the metrics name them (the score's
   * `normalize_labels`: `Yes ` and `yes` are one label, as in the confusion matrix); -1 when absent.
   */
  get goldIds(): Int32Array {
    return this.goldColumn.values;
  }
  get valueIds(): Int32Array {
    return this.valueColumn.values;
  }
  /** Per line, its outcome's place in `outcomeNames`. */
  get outcomes(): Uint8Array {
    return this.outcomeColumn.values;
  }
  /** Item number of each entry of `itemText`. */
  get itemOfText(): Int32Array {
    return this.itemOfTextColumn.values;
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

  /** Indexes the whole lines from `bytesIndexed` to `size` (a live run's last may be unfinished). */
  private readFrom(fd: number, size: number): void {
    this.bytesIndexed = eachWholeLine(fd, this.bytesIndexed, size, (buffer, start, end, offset) =>
      this.addLine(buffer, start, end, offset),
    );
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
    const number = this.lineCount;
    const item = this.itemNumber(line.item_id, number);
    const score = this.scores.id(line.score);
    this.offsetColumn.push(offset);
    this.lengthColumn.push(end - start);
    this.itemColumn.push(item);
    this.scoreColumn.push(score);
    this.statusColumn.push(this.statuses.id(String(line.status)));
    const [gold, value] = labelKeys(line, this.normalizerOf(line.score));
    const goldId = gold === null ? -1 : this.labels.id(gold);
    const valueId = value === null ? -1 : this.labels.id(value);
    this.goldColumn.push(goldId);
    this.valueColumn.push(valueId);
    if (gold !== null) addTo(this.goldOfScore, score, goldId);
    if (value !== null) addTo(this.valuesOfScore, score, valueId);
    this.outcomeColumn.push(outcomeNames.indexOf(outcomeOf(line)));
    const explanation = (line.explanation ?? '').slice(0, searchedExplanationChars);
    const error = line.error?.message?.slice(0, searchedExplanationChars) ?? '';
    this.searchText.add(
      `${line.item_id}\n${line.value ?? ''}\n${line.label ?? ''}\n${value ?? ''}\n${gold ?? ''}`,
    );
    this.explanationText.add(`${explanation}\n${error}`);
    this.metrics.add(line);
    if (line.cached === true) this.cachedLines += 1;
    if (typeof line.text === 'string' && this.textLineColumn.values[item] === -1) {
      this.textLineColumn.values[item] = number;
      this.itemText.add(line.text.slice(0, searchedTextChars));
      this.itemOfTextColumn.push(item);
    }
  }

  /** The number of item `id` (numbered when first seen), its lines chained with line `line`. */
  private itemNumber(id: string, line: number): number {
    this.nextLineColumn.push(-1);
    let item = this.itemNumbers.get(id);
    if (item === undefined) {
      item = this.items.length;
      this.items.push(id);
      this.itemNumbers.set(id, item);
      this.firstLineColumn.push(line);
      this.lastLineColumn.push(line);
      this.textLineColumn.push(-1);
    } else {
      this.nextLineColumn.values[this.lastLineColumn.values[item]!] = line;
      this.lastLineColumn.values[item] = line;
    }
    return item;
  }

  /** The item id of line `number`. */
  itemId(number: number): string {
    return this.items[this.itemOfLine[number]!]!;
  }

  /** The ids of the items no result line gave a text (runs written before lines kept it). */
  itemsWithoutText(): string[] {
    const texts = this.textLineColumn.values;
    return this.items.filter((_, item) => texts[item] === -1);
  }

  /**
   * The text a result line keeps for item number `item` (`text`, the first characters;
   * `text_length` when cut), read from that line; undefined when no line keeps one.
   */
  textOfItem(item: number): ItemText | undefined {
    const number = this.textLineColumn.values[item];
    if (number === undefined || number === -1 || item >= this.items.length) return undefined;
    const line = this.readLine(number);
    if (typeof line.text !== 'string') return undefined;
    return {
      snippet: line.text.slice(0, snippetChars),
      length: line.text_length ?? line.text.length,
      whole: line.text_length === undefined,
    };
  }

  /** The lines of item `id`, in file order; undefined for an id the run has not scored. */
  linesOf(id: string): number[] | undefined {
    const item = this.itemNumbers.get(id);
    if (item === undefined) return undefined;
    const lines: number[] = [];
    let line = this.firstLineColumn.values[item]!;
    while (line !== -1) {
      lines.push(line);
      line = this.nextLineColumn.values[line]!;
    }
    return lines;
  }

  /** The full stored line `number` (explanation, trace and all), read from the file. */
  readLine(number: number): ResultLine {
    const buffer = Buffer.alloc(this.lengthColumn.values[number]!);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offsetColumn.values[number]!);
    } finally {
      closeSync(fd);
    }
    return JSON.parse(buffer.toString('utf8')) as ResultLine;
  }
}
