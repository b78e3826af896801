import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readReportData } from './report-data.js';
import { reportPage } from './report-page.js';

/** Writes `report.html` in a run folder from its `run.json`, `metrics.json` and `results.jsonl`. */
export async function writeReport(
  dir: string,
  options: { maxRows?: number } = {},
): Promise<string> {
  const data = await readReportData(dir, options.maxRows);
  const path = join(dir, 'report.html');
  await writeFile(path, reportPage(data));
  return path;
}
