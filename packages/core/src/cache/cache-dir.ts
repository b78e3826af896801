import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `PLEXUS_CACHE_DIR`, else `$XDG_CACHE_HOME/plexus`, else `~/.cache/plexus`. */
export function defaultCacheDir(): string {
  if (process.env.PLEXUS_CACHE_DIR) return process.env.PLEXUS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'plexus');
}

/** The inode of a folder (it changes when the folder is deleted or replaced), or undefined. */
export function folderId(path: string): number | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })?.ino;
  } catch {
    return undefined; // a part of the path is a file (ENOTDIR): no folder
  }
}
