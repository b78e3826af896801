import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InvalidConfigError } from '../errors.js';
import { normalizeLabel } from '../labels.js';
import { judgedPair } from '../metrics/judged-pair.js';
import { readResultLines } from '../result-file.js';
import type { ResultLine } from '../result-line.js';
import type { RunInfo, RunMetricsFile } from '../run-folder.js';
import { effectiveRunInfo } from '../run-state.js';

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

/** Keeps the rows the report lists (misclassified or failed), `maxRows` at most: bounded memory. */
export class ReportRows {
  readonly rows: ReportRow[] = [];
  rowsLeftOut = 0;

  constructor(private readonly maxRows = 2000) {}

  /** Lists a line the run judged wrong (its own `correct`, see `judgedPair`) or that failed. */
  add(line: ResultLine): void {
    const misclassified = judgedPair(line, normalizeLabel)?.correct === false;
    if (!misclassified && line.status !== 'error') return;
    if (this.rows.length >= this.maxRows) {
      this.rowsLeftOut += 1;
      return;
    }
    this.rows.push({
      item: line.item_id,
      score: line.score,
      kind: misclassified ? 'misclassified' : 'error',
      gold: line.label,
      predicted: line.value,
      detail: (misclassified ? line.explanation : line.error?.message) ?? '',
    });
  }
}

/**
 * Reads a run folder for the report. `rows` collected while the run was scored spare a second
 * pass over `results.jsonl`; without them the file is streamed.
 */
export async function readReportData(
  dir: string,
  options: { maxRows?: number; rows?: ReportRows } = {},
): Promise<ReportData> {
  // A run left `running` by a dead process reads as `interrupted`.
  const info = effectiveRunInfo(dir, await readJson<RunInfo>(join(dir, 'run.json')));
  if (info.status === 'interrupted' && !existsSync(join(dir, 'metrics.json')))
    throw new InvalidConfigError([
      {
        path: dir,
        message: `the run is interrupted (${info.error ?? 'no reason recorded'}) and has no metrics yet: continue it with plexus evaluate SCORECARD --resume ${dir}`,
      },
    ]);
  const metrics = await readJson<RunMetricsFile>(join(dir, 'metrics.json'));
  let collected = options.rows;
  if (!collected) {
    collected = new ReportRows(options.maxRows);
    for await (const line of readResultLines(join(dir, 'results.jsonl'))) collected.add(line);
  }
  return { info, metrics, rows: collected.rows, rowsLeftOut: collected.rowsLeftOut };
}
