import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256, stableStringify } from './hash.js';
import type { ScoreOutputV1 } from './score-spec.js';

/** Stores score outputs by content: the same score, input and upstream results give the same key. */
export interface ResultCache {
  get(key: string): Promise<ScoreOutputV1 | undefined>;
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

/**
 * A cache in a folder, one small JSON file per entry in 256 sub-folders. Writes are atomic
 * (temporary file, then rename), so processes sharing the folder never read half an entry.
 */
export class DirectoryCache<Value = ScoreOutputV1> {
  private readonly made = new Set<string>();
  private counter = 0;

  constructor(readonly dir: string) {}

  private path(key: string): { folder: string; file: string } {
    const folder = join(this.dir, 'outputs', key.slice(0, 2));
    return { folder, file: join(folder, `${key}.json`) };
  }

  async get(key: string): Promise<Value | undefined> {
    try {
      return JSON.parse(await readFile(this.path(key).file, 'utf8')) as Value;
    } catch {
      return undefined; // a missing or unreadable entry is a miss
    }
  }

  async set(key: string, output: Value): Promise<void> {
    const { folder, file } = this.path(key);
    if (!this.made.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.made.add(folder);
    }
    this.counter += 1;
    const temporary = `${file}.${process.pid}.${this.counter}.tmp`;
    await writeFile(temporary, JSON.stringify(output));
    await rename(temporary, file);
  }
}
