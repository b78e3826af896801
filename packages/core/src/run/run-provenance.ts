import { createHash, type Hash } from 'node:crypto';
import { createReadStream, type Stats, statSync } from 'node:fs';
import { errorMessage, InvalidConfigError } from '../common/errors.js';
import { type ByteTap, type DatasetFormat, formatOf } from '../dataset/row-sources.js';
import { type DataProvenance, GoldDigests, tryHashFile } from './provenance.js';
import type { ResultLine } from './result-line.js';

type FileHash = Awaited<ReturnType<typeof tryHashFile>>;

/**
 * Collects what run.json records about the data of a run (see `DataProvenance`): the dataset's
 * SHA-256 (hashed alongside the run, or before a resume that has one to check), its rows and the
 * gold digests of the result lines the run folder ends with.
 */
export class RunProvenance {
  readonly gold = new GoldDigests();
  private hash: Promise<FileHash> | undefined;
  /** The hash of the bytes the run read, while it reads them (see `hashDataset`). */
  private tapped: { hash: Hash; bytes: number; open: boolean; path: string } | undefined;
  /** The dataset file as it was when the run began reading it. */
  private before: { path: string; stat: Stats } | undefined;
  /**
   * Set by `finish` when the file is not what it was when the run began reading it (truncated,
   * appended to, replaced): why, for run.json's error. A run that read it is no longer complete.
   */
  changed: string | undefined;

  /** Remembers the file's size, time and inode, to find a change while the run reads it. */
  private see(path: string): void {
    try {
      this.before = { path, stat: statSync(path) };
    } catch {
      this.before = undefined; // the read says what is wrong with it
    }
  }

  /**
   * Before a resume: a run that recorded its dataset's SHA-256 goes on only with the same bytes
   * (its stored results would otherwise mix two datasets). Costs one read of the file.
   */
  async checkDataset(path: string, recorded: Partial<DataProvenance>): Promise<void> {
    if (typeof recorded.sha256 !== 'string') return;
    this.see(path);
    const now = await tryHashFile(path);
    if (now.sha256 !== null && now.sha256 !== recorded.sha256) {
      throw new InvalidConfigError([
        {
          path: '--resume',
          message: `the dataset ${path} changed since the run started (SHA-256 ${recorded.sha256.slice(0, 12)}…, now ${now.sha256.slice(0, 12)}…): its stored results would mix two datasets. Start a new run with --out, or resume with the original file (--data)`,
        },
      ]);
    }
    this.hash = Promise.resolve(now);
  }

  /**
   * Starts hashing the dataset, unless `checkDataset` did. CSV and JSONL: the bytes are hashed as
   * the run reads them, through the returned tap (give it to `readDataset`); what the run did not
   * read (`--limit`, an interruption) is read and hashed in `finish`. Parquet, whose reader jumps
   * around the file, and results computed elsewhere: hashed by a read of its own, alongside.
   */
  hashDataset(
    path: string,
    format: DatasetFormat | undefined,
    external: boolean,
  ): ByteTap | undefined {
    if (this.hash) return undefined;
    this.see(path);
    const chosen = format ?? formatOf(path);
    if (external || (chosen !== 'csv' && chosen !== 'jsonl')) {
      this.hash = tryHashFile(path);
      return undefined;
    }
    const state = { hash: createHash('sha256'), bytes: 0, open: true, path };
    this.tapped = state;
    return (chunk) => {
      if (!state.open) return;
      state.hash.update(chunk);
      state.bytes += chunk.length;
    };
  }

  /** Counts a line the run folder keeps into the gold digests. */
  add(line: ResultLine): void {
    this.gold.add(line);
  }

  /**
   * The provenance to record. `rows`: data rows read (items plus malformed rows) when the
   * dataset was read to the end, else the reason it is unknown.
   */
  async finish(rows: number | { unknown: string }): Promise<DataProvenance> {
    const change = this.changedSince();
    if (this.tapped) this.hash = finishTapped(this.tapped);
    const hash: FileHash = (await this.hash) ?? {
      sha256: null,
      bytes: null,
      reason: 'the dataset was not read',
    };
    // The bytes the run read are the file's as it is now (touched, or appended to before the read
    // reached its end): the run read one version of it.
    const same =
      change !== undefined &&
      hash.sha256 !== null &&
      (await tryHashFile(this.before!.path)).sha256 === hash.sha256;
    this.changed = same ? undefined : change;
    return {
      sha256: hash.sha256,
      ...('reason' in hash ? { sha256_unknown: hash.reason } : {}),
      bytes: hash.bytes,
      rows: typeof rows === 'number' ? rows : null,
      ...(typeof rows === 'number' ? {} : { rows_unknown: rows.unknown }),
      gold: this.gold.result(),
    };
  }

  /** Why the dataset is not the file the run began reading (see `changed`), if it is not. */
  private changedSince(): string | undefined {
    // A pipe or device changes as it is read: only a file is compared.
    if (this.before === undefined || !this.before.stat.isFile()) return undefined;
    const { path, stat } = this.before;
    let now: Stats | undefined;
    try {
      now = statSync(path);
    } catch {
      now = undefined;
    }
    if (
      now !== undefined &&
      now.size === stat.size &&
      now.mtimeMs === stat.mtimeMs &&
      now.ino === stat.ino
    )
      return undefined;
    const was = `${stat.size.toLocaleString('en')} bytes, modified ${stat.mtime.toISOString()}`;
    const is = now
      ? `${now.size.toLocaleString('en')} bytes, modified ${now.mtime.toISOString()}${now.ino === stat.ino ? '' : ', another file'}`
      : 'gone';
    return `the dataset ${path} changed while it was read (${was} when reading began; now ${is}): the results may be of rows of two versions of the file, or miss rows`;
  }
}

/** Passes `items` through, calling `onItem` for each (counts the rows a sample reads). */
export async function* countedBefore<T>(items: AsyncIterable<T>, onItem: () => void) {
  for await (const item of items) {
    onItem();
    yield item;
  }
}

/** Why a run does not know its dataset's row count. */
export function rowsUnknown(limit: number | undefined, status: string): string {
  if (status === 'completed' && limit !== undefined)
    return `--limit ${limit} stopped reading before the end of the dataset`;
  return `the run ended (${status}) before the dataset was read to the end`;
}

/** Completes the hash of the bytes the run read with the rest of the file, read from there. */
async function finishTapped(tapped: {
  hash: Hash;
  bytes: number;
  open: boolean;
  path: string;
}): Promise<FileHash> {
  tapped.open = false;
  try {
    for await (const chunk of createReadStream(tapped.path, {
      start: tapped.bytes,
      highWaterMark: 1 << 20,
    })) {
      tapped.hash.update(chunk as Buffer);
      tapped.bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    return {
      sha256: null,
      bytes: null,
      reason: `cannot read ${tapped.path}: ${errorMessage(error)}`,
    };
  }
  return { sha256: tapped.hash.digest('hex'), bytes: tapped.bytes };
}
