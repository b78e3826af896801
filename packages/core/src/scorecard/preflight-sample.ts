import { access } from 'node:fs/promises';
import { errorMessage } from '../common/errors.js';
import { type DatasetFormat, formatOf, rawRows } from '../dataset/row-sources.js';
import { splitTurns } from '../text/turns.js';
import type { SpeakerSample } from './speaker-uses.js';

/** Rows read to check columns and gold labels before a run. */
export const preflightSampleRows = 10_000;

/** What the first rows of a dataset show: its columns and, per score, the gold labels found. */
export interface DatasetSample {
  /** Columns in the order first seen (CSV and Parquet: the header; JSONL: the keys of any sampled row). */
  columns: string[];
  /** Rows read (malformed ones not counted). */
  rows: number;
  /** Whether every row has the same columns (CSV, Parquet). */
  fixedColumns: boolean;
  /** Per score: how often each gold label occurs in its gold column (first column present). */
  gold: Map<string, Map<string, number>>;
  /** The dataset holds more rows than were read. */
  truncated: boolean;
  /** The speakers of the first texts, when asked for (`speakerRows`). */
  speakerSample: SpeakerSample;
}

/** Texts whose speakers are read, when processors name speakers (see `speaker-uses.ts`). */
export const speakerSampleRows = 500;

/** Counts each speaker of the row's text once (lower-cased, as turns carry them). */
function countSpeakers(text: string | undefined, sample: SpeakerSample): void {
  if (text === undefined) return;
  const speakers = sample.speakers as Map<string, number>;
  sample.texts += 1;
  const names = new Set<string>();
  for (const turn of splitTurns(text)) if (turn.speaker !== undefined) names.add(turn.speaker);
  for (const name of names) speakers.set(name, (speakers.get(name) ?? 0) + 1);
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function countGold(
  record: Readonly<Record<string, unknown>>,
  goldColumns: ReadonlyMap<string, readonly string[]>,
  gold: Map<string, Map<string, number>>,
): void {
  for (const [score, candidates] of goldColumns) {
    const column = candidates.find((name) => Object.hasOwn(record, name));
    const value = column === undefined ? undefined : asText(record[column]);
    if (value === undefined || value.trim() === '') continue;
    const counts = gold.get(score)!;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
}

function hasGoldColumn(
  columns: ReadonlySet<string>,
  goldColumns: ReadonlyMap<string, readonly string[]>,
): boolean {
  for (const candidates of goldColumns.values())
    if (candidates.some((name) => columns.has(name))) return true;
  return false;
}

/**
 * Reads up to `limit` rows of a dataset (streamed; the rest is never read) and returns its
 * columns and gold label counts, or a sentence saying why it cannot be read.
 */
export async function sampleDataset(options: {
  path: string;
  format?: DatasetFormat | undefined;
  goldColumns: ReadonlyMap<string, readonly string[]>;
  limit?: number;
  /** Read the speakers of the first `speakerSampleRows` rows' text in this column. */
  speakers?: { textColumn: string } | undefined;
}): Promise<DatasetSample | string> {
  try {
    await access(options.path);
  } catch (error) {
    return `dataset file not found or not readable (${errorMessage(error)})`;
  }
  const format = options.format ?? formatOf(options.path);
  let limit = options.limit ?? preflightSampleRows;
  const columns = new Set<string>();
  const gold = new Map([...options.goldColumns.keys()].map((score) => [score, new Map()]));
  const sample: DatasetSample = {
    columns: [],
    rows: 0,
    fixedColumns: format !== 'jsonl',
    gold,
    truncated: false,
    speakerSample: { texts: 0, speakers: new Map() },
  };
  const speakerRows = options.speakers ? speakerSampleRows : 0;
  try {
    reading: for await (const rows of rawRows(options.path, format)) {
      for (const row of rows) {
        if (row.kind === 'error') continue;
        if (sample.rows >= limit) {
          sample.truncated = true;
          break reading;
        }
        sample.rows += 1;
        if (!sample.fixedColumns || sample.rows === 1)
          for (const key of Object.keys(row.record)) columns.add(key);
        countGold(row.record, options.goldColumns, gold);
        if (sample.rows <= speakerRows)
          countSpeakers(asText(row.record[options.speakers!.textColumn]), sample.speakerSample);
        // CSV and Parquet rows all have the header's columns: with no gold column among them,
        // further rows change nothing this sample holds (columns, gold counts), so only one more
        // is looked at (for `truncated`). A run of 10,000 unlabelled rows read them twice.
        if (
          sample.fixedColumns &&
          sample.rows === 1 &&
          !hasGoldColumn(columns, options.goldColumns)
        )
          limit = Math.max(1, speakerRows);
      }
    }
  } catch (error) {
    return errorMessage(error).replace(`${options.path}: `, '');
  }
  sample.columns = [...columns];
  return sample;
}
