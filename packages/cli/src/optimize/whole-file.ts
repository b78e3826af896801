import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes a file whole: to `PATH.tmp`, then renamed over `path`, so a kill leaves the old file or
 * the new one, never half of one (a `split.json` cut short stopped every resume on a JSON error).
 */
export async function writeWhole(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}
