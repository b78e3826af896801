import { homedir } from 'node:os';
import { join } from 'node:path';

/** `PLEXUS_CACHE_DIR`, else `$XDG_CACHE_HOME/plexus`, else `~/.cache/plexus`. */
export function defaultCacheDir(): string {
  if (process.env.PLEXUS_CACHE_DIR) return process.env.PLEXUS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'plexus');
}
