import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedScorecard, loadScorecard } from '@plexus/core';

/** Loads a scorecard, also finding score packages installed beside the CLI itself. */
export function loadForCli(
  path: string,
  options: { cacheDir?: string; create?: boolean; cache?: boolean } = {},
): Promise<LoadedScorecard> {
  return loadScorecard(path, {
    searchFrom: [dirname(fileURLToPath(import.meta.url))],
    cacheDir: options.cacheDir,
    create: options.create,
    cache: options.cache,
  });
}
