import { DirectoryCache } from './directory-cache.js';

const open = new Map<string, DirectoryCache>();

/**
 * The process's cache for a folder: one index and one log file per folder however many scores
 * use it (a new one if the folder was deleted since).
 */
export function directoryCache<Value>(dir: string): DirectoryCache<Value> {
  let cache = open.get(dir);
  if (!cache || cache.stale()) {
    cache?.flush();
    cache = new DirectoryCache(dir);
    open.set(dir, cache);
  }
  return cache as DirectoryCache<Value>;
}
