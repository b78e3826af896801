import { sha256, stableStringify } from '../common/hash.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';

/** Stores score outputs by content: the same score, input and upstream results give the same key. */
export interface ResultCache {
  get(key: string): Promise<ScoreOutputV1 | undefined>;
  /** The same lookup without a promise, for caches that answer at once (the engine prefers it). */
  getNow?(key: string): ScoreOutputV1 | undefined;
  set(key: string, output: ScoreOutputV1): Promise<void>;
}

/** The cache key of one score's output for one item. */
export function cacheKey(parts: {
  fingerprint: string;
  text: string;
  metadata: unknown;
  upstream: Readonly<Record<string, string | null>>;
}): string {
  return sha256(
    parts.fingerprint,
    parts.text,
    stableStringify(parts.metadata),
    stableStringify(parts.upstream),
  );
}

export {
  type CacheFolderStats,
  type CompactionResult,
  cacheFolderStats,
  cacheFolders,
  compactCacheFolder,
  parseSize,
} from './cache-compaction.js';
export {
  cacheWriteFailure,
  collectCacheWarnings,
  onCacheWarning,
} from './cache-warnings.js';
export { DirectoryCache } from './directory-cache.js';
export { directoryCache } from './directory-caches.js';
