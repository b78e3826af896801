import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DatasetFormat,
  type DatasetItem,
  errorMessage,
  type RunInfo,
  readDataset,
  redact,
} from '@plexus/core';
import { parse } from 'yaml';
import { TextStore } from './text-store.js';

/** Characters of an item's text the search looks at (the page says so). */
export const searchedTextChars = 1000;
/** Characters of an item's text shown in a list row. */
export const snippetChars = 300;
/** Characters of an item's text the item page shows at most. */
export const shownTextChars = 100_000;
/** Characters past a cut that are redacted with the text before it: a secret is shorter. */
const secretMargin = 4096;

/**
 * The first `chars` characters of a dataset's text, redacted before the cut (run folders keep
 * texts redacted; the dataset does not): a cut inside a secret would keep a piece that no longer
 * matches it.
 */
function redactedStart(text: string, chars: number): string {
  return redact(text.slice(0, chars + secretMargin)).slice(0, chars);
}

/** Runs whose index and texts are kept at once (the last opened): memory stays bounded. */
export const keptIndexes = 4;
/** A live run's missing texts are looked for again at most this often. */
const reloadMs = 10_000;

/** What the run's dataset columns are, from the scorecard copy in the run folder. */
interface DataColumns {
  format?: DatasetFormat;
  idColumn?: string;
  textColumn?: string;
}

function dataColumns(dir: string): DataColumns {
  for (const name of ['scorecard.yaml', 'scorecard.json']) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    try {
      const card = parse(readFileSync(path, 'utf8')) as { data?: Record<string, unknown> } | null;
      const data = card?.data ?? {};
      const text = (key: string) => (typeof data[key] === 'string' ? data[key] : undefined);
      return {
        format: text('format') as DatasetFormat | undefined,
        idColumn: text('id_column'),
        textColumn: text('text_column'),
      };
    } catch {
      return {};
    }
  }
  return {};
}

export interface ItemText {
  /** The first `snippetChars` characters. */
  snippet: string;
  /** Characters in the whole text. */
  length: number;
  /** Whether the result line kept the whole text (else it is read from the dataset). */
  whole?: boolean;
}

/**
 * The texts of a run's items that its result lines do not keep (runs written before they did),
 * read from its dataset (`run.json`'s `data.path`) by item id: only
 * the ids the run scored, each cut to `searchedTextChars`, so memory stays bounded; the dataset is
 * read until every wanted id is found.
 */
export class ItemTexts {
  readonly texts = new Map<string, ItemText>();
  /** The first `searchedTextChars` characters of each text, lowercased; entry n is `entryIds[n]`. */
  private readonly search = new TextStore();
  private readonly entryIds: string[] = [];
  /** Why texts are missing (no dataset, unreadable), or null. */
  problem: string | null = null;
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private readonly columns: DataColumns;

  constructor(
    readonly dir: string,
    readonly info: RunInfo,
  ) {
    this.columns = dataColumns(dir);
  }

  get datasetPath(): string {
    return this.info.data.path;
  }

  private items(): AsyncGenerator<DatasetItem> {
    return readDataset({ path: this.datasetPath, ...this.columns });
  }

  /** Reads the texts of `ids` not yet known (once; again for a live run after `reloadMs`). */
  async ensure(ids: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const id of ids) if (!this.texts.has(id)) missing.add(id);
    if (missing.size === 0 || this.problem !== null) return;
    if (this.loadedAt > 0 && Date.now() - this.loadedAt < reloadMs) return;
    this.loading ??= this.load(missing).finally(() => {
      this.loading = undefined;
      this.loadedAt = Date.now();
    });
    await this.loading;
  }

  private async load(missing: Set<string>): Promise<void> {
    if (!existsSync(this.datasetPath)) {
      this.problem = `the dataset ${this.datasetPath} is not there any more: item texts cannot be shown`;
      return;
    }
    try {
      for await (const item of this.items()) {
        if (!missing.delete(item.id)) continue;
        this.texts.set(item.id, {
          snippet: redactedStart(item.text, snippetChars),
          length: item.text.length,
        });
        this.search.add(redactedStart(item.text, searchedTextChars));
        this.entryIds.push(item.id);
        if (missing.size === 0) break;
      }
    } catch (error) {
      this.problem = `the dataset ${this.datasetPath} cannot be read (${errorMessage(error)}): item texts cannot be shown`;
    }
  }

  /** Calls `found` with the id of each item whose text (its start) contains `needle`, lowercased. */
  searchFor(needle: string, found: (id: string) => void): void {
    const marks = new Uint8Array(this.search.count);
    this.search.search(needle, marks);
    for (let entry = 0; entry < marks.length; entry += 1)
      if (marks[entry]) found(this.entryIds[entry]!);
  }

  /** One item's whole text (up to `shownTextChars`), read from the dataset; null when not found. */
  async fullText(id: string): Promise<string | null> {
    if (this.problem !== null || !existsSync(this.datasetPath)) return null;
    try {
      for await (const item of this.items())
        if (item.id === id) return redactedStart(item.text, shownTextChars);
    } catch {
      return null;
    }
    return null;
  }
}

const cache = new Map<string, { startedAt: string; texts: ItemTexts }>();

/** The texts of the run in `dir`, kept while the run is the same (a new run.json start: read again). */
export function itemTexts(dir: string, info: RunInfo): ItemTexts {
  const cached = cache.get(dir);
  const texts =
    cached && cached.startedAt === info.started_at && cached.texts.datasetPath === info.data.path
      ? cached.texts
      : new ItemTexts(dir, info);
  // The last runs used are kept, as their indexes are (see `keptIndexes`).
  cache.delete(dir);
  cache.set(dir, { startedAt: info.started_at, texts });
  while (cache.size > keptIndexes) cache.delete(cache.keys().next().value!);
  return texts;
}
