import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redact } from '../common/secrets.js';
import { type ReportRows, readReportData } from './report-data.js';
import { reportPage } from './report-page.js';

/** Writes `report.html` in a run folder from its `run.json`, `metrics.json` and `results.jsonl`. */
export async function writeReport(
  dir: string,
  options: { maxRows?: number; rows?: ReportRows } = {},
): Promise<string> {
  const data = await readReportData(dir, options);
  const path = join(dir, 'report.html');
  await writeFile(path, redact(reportPage(data)));
  return path;
}
