import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InvalidConfigError } from '../errors.js';
import { normalizeLabel } from '../labels.js';
import { readResultLines } from '../result-file.js';
import type { RunInfo, RunMetricsFile } from '../run-folder.js';

/** An item the report lists: misclassified or failed. */
export interface ReportRow {
  item: string;
  score: string;
  kind: 'misclassified' | 'error';
  gold: string | null;
  predicted: string | null;
  detail: string;
}

export interface ReportData {
  info: RunInfo;
  metrics: RunMetricsFile;
  rows: ReportRow[];
  /** Rows that were not kept because of the limit. */
  rowsLeftOut: number;
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new InvalidConfigError([
      { path, message: `cannot read it (${errorMessage(error)}); is this a finished run folder?` },
    ]);
  }
}

/** Reads a run folder for the report, streaming `results.jsonl` and keeping at most `maxRows` rows. */
export async function readReportData(dir: string, maxRows = 2000): Promise<ReportData> {
  const info = await readJson<RunInfo>(join(dir, 'run.json'));
  const metrics = await readJson<RunMetricsFile>(join(dir, 'metrics.json'));
  const rows: ReportRow[] = [];
  let rowsLeftOut = 0;
  for await (const line of readResultLines(join(dir, 'results.jsonl'))) {
    const misclassified =
      line.status === 'ok' &&
      line.label !== null &&
      line.value !== null &&
      normalizeLabel(line.label) !== normalizeLabel(line.value);
    if (!misclassified && line.status !== 'error') continue;
    if (rows.length >= maxRows) {
      rowsLeftOut += 1;
      continue;
    }
    rows.push({
      item: line.item_id,
      score: line.score,
      kind: misclassified ? 'misclassified' : 'error',
      gold: line.label,
      predicted: line.value,
      detail: (misclassified ? line.explanation : line.error?.message) ?? '',
    });
  }
  return { info, metrics, rows, rowsLeftOut };
}
