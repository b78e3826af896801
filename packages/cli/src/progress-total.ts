import { resolve } from 'node:path';
import { countRows, type DatasetFormat, type LoadedScorecard } from '@plexus/core';
import type { ProgressTotal } from './progress.js';

/**
 * The items a run will score, for the progress line: `--sample N`, else the dataset's rows
 * counted without parsing them (see `countRows`), at most `--limit`. Undefined for a resumed run
 * (part of it is done) or a dataset that cannot be counted.
 */
export async function progressTotal(
  card: LoadedScorecard,
  flags: { data?: string; limit?: number; sample?: number; resume?: string },
): Promise<ProgressTotal | undefined> {
  if (flags.resume !== undefined) return undefined;
  if (flags.sample !== undefined) return { items: flags.sample, exact: true };
  const path = flags.data
    ? resolve(flags.data)
    : card.data?.path
      ? resolve(card.baseDir, card.data.path)
      : undefined;
  const counted = path
    ? await countRows(path, card.data?.format as DatasetFormat | undefined)
    : undefined;
  if (!counted) return flags.limit === undefined ? undefined : { items: flags.limit, exact: false };
  if (flags.limit !== undefined && flags.limit <= counted.rows)
    return { items: flags.limit, exact: true };
  return { items: counted.rows, exact: counted.exact };
}
