import { dirname, resolve } from 'node:path';
import { fileSystemError } from '../common/file-system-error.js';

/**
 * Caches that cannot write (a full disk, a read-only folder, no permission) turn themselves off
 * for the life of the process and say so once: one warning per cache root (`<cache>/results` and
 * `<cache>/llm-responses` share `<cache>`), given to every listener.
 */
/** Warning per cache folder that stopped writing. */
const failures = new Map<string, string>();
/** Cache roots already warned about. */
const warned = new Map<string, string>();
const listeners = new Set<(message: string) => void>();

/** Calls `listener` with each cache warning from now on; returns the function that stops it. */
export function onCacheWarning(listener: (message: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The warning of the cache folder holding `dir`, if writing to it failed in this process. */
export function cacheWriteFailure(dir: string): string | undefined {
  return failures.get(resolve(dir));
}

/**
 * Records that writing `path` of the cache in `dir` failed: that cache stops writing. The first
 * failure under a cache root is announced to the listeners, later ones are not. Returns the warning.
 */
export function recordCacheWriteFailure(dir: string, path: string, error: unknown): string {
  const root = dirname(resolve(dir));
  const known = warned.get(root);
  const message =
    known ??
    `${fileSystemError(error, path, 'write to the cache').message}; caching is off for the rest of this run (results are not affected)`;
  failures.set(resolve(dir), message);
  if (known) return known;
  warned.set(root, message);
  for (const listener of listeners) listener(message);
  return message;
}

/**
 * Collects the warnings of the caches under `cacheDir` for one run: those given from now on and
 * one given before in this process (the cache is still off). `stop()` ends it and returns them.
 */
export function collectCacheWarnings(cacheDir: string): { stop(): string[] } {
  const root = resolve(cacheDir);
  const warnings = new Set<string>();
  const before = warned.get(root);
  if (before) warnings.add(before);
  const stop = onCacheWarning((message) => warnings.add(message));
  return {
    stop() {
      stop();
      return [...warnings];
    },
  };
}
