import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type RunMetricsFile, TrackerError } from '@plexus/core';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A run folder's `metrics.json` for a sync: undefined when there is none (a run that ended before
 * writing it). A file that cannot be read, or holds no per-score metrics (`{}`, a score that is
 * null), is a `TrackerError` saying how to write it again: the run was synced without its metrics
 * and said nothing, or stopped on "Cannot destructure property 'confusion_matrix'".
 */
export async function readRunMetrics(dir: string): Promise<RunMetricsFile | undefined> {
  const path = join(dir, 'metrics.json');
  if (!existsSync(path)) return undefined;
  const fix = `write it again with plexus evaluate SCORECARD --resume ${dir} (a resume rebuilds it from results.jsonl), then sync`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new TrackerError(`${path} cannot be read (${errorMessage(error)}); ${fix}`);
  }
  const scores = isRecord(parsed) ? parsed.scores : undefined;
  if (!isRecord(scores) || !Object.values(scores).every(isRecord))
    throw new TrackerError(
      `${path} holds no per-score metrics (no "scores" object of one object per score); ${fix}`,
    );
  return parsed as unknown as RunMetricsFile;
}
