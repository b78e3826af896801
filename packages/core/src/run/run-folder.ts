import {
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  openSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InvalidConfigError, RunStoreError } from '../common/errors.js';
import { fileSystemError } from '../common/file-system-error.js';
import { redact } from '../common/secrets.js';
import type { DatasetProblem } from '../dataset/dataset.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { LineBuffer } from './line-buffer.js';
import { resultLineJson } from './line-json.js';
import { assertNewRunFolder, assertNotAFile, refuseDroppedScores } from './new-run-folder.js';
import { openRuns } from './open-runs.js';
import { compactResults, type ResumeOptions } from './result-compaction.js';
import type { ResultLine } from './result-line.js';
import type { RunInfo, RunMetricsFile, StoredRun } from './run-files.js';
import { countsOnDisk } from './run-folder-counts.js';
import { RunLock } from './run-lock.js';
import { shellWord } from './shell-word.js';

export { abandonOpenRuns } from './open-runs.js';
export type { ResumeOptions } from './result-compaction.js';
export type { RunInfo, RunMetricsFile, RunStatus, StoredRun } from './run-files.js';

/** Lines kept before a write; a crash loses at most these free lines (scored again on resume). */
const bufferedLines = 256;
/** Longest a line waits in the buffer, in milliseconds. */
const flushDelayMs = 200;

/** The scorecard a run was scored with, as `scorecard.yaml` (or `.json`) in its folder. */
export async function writeScorecardCopy(
  dir: string,
  scorecard: { path: string; source: string },
): Promise<void> {
  await writeFile(
    join(dir, scorecard.path.endsWith('.json') ? 'scorecard.json' : 'scorecard.yaml'),
    redact(scorecard.source),
  );
}

/**
 * A run folder: `run.json`, `results.jsonl` (append-only), `dataset-errors.jsonl`, the scorecard
 * and `run.lock` while a process writes it (one writer at a time).
 */
export class RunFolder {
  private lock: RunLock | undefined;
  private resultsFd: number | undefined;
  private problemsFd: number | undefined;
  private readonly pending = new LineBuffer();
  private timer: NodeJS.Timeout | undefined;
  /** A write that failed in the background, thrown by the next call. */
  private failure: unknown;
  /** `results.jsonl` reaching the disk in the background (see `startSync`); never rejects. */
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    public info: RunInfo,
  ) {}

  /** `scorecard`: the file's path (for its extension) and the text that was run. */
  static async create(
    dir: string,
    info: RunInfo,
    scorecard: { path: string; source: string },
  ): Promise<RunFolder> {
    let lock: RunLock | undefined;
    assertNotAFile(dir);
    try {
      await mkdir(dir, { recursive: true });
      // Taken before looking for run.json: two runs started into one --out cannot both go on.
      lock = RunLock.acquire(dir, 'evaluate');
      assertNewRunFolder(dir);
      await writeScorecardCopy(dir, scorecard);
    } catch (error) {
      lock?.release();
      if (error instanceof InvalidConfigError) throw error;
      throw fileSystemError(error, dir, 'create the run folder');
    }
    const folder = new RunFolder(dir, info);
    folder.lock = lock;
    folder.open('w');
    await folder.writeInfo();
    return folder;
  }

  /**
   * Opens a run folder to continue it, holding its lock. Results of scores whose fingerprint
   * changed, a line cut short by a crash, a repeated (item, score) and, with `retryErrors`, error
   * results are dropped: the file is rewritten without them (a new file, then a rename) before
   * anything is appended. `onLine` sees each line kept.
   */
  static async resume(
    dir: string,
    fingerprints: Readonly<Record<string, string>>,
    onLine: (line: ResultLine) => void,
    options: ResumeOptions = {},
  ): Promise<{ folder: RunFolder; stored: StoredRun }> {
    let info: RunInfo;
    try {
      info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo;
    } catch (error) {
      throw new InvalidConfigError([
        { path: '--resume', message: `${dir} is not a run folder (${errorMessage(error)})` },
      ]);
    }
    refuseDroppedScores(dir, info, fingerprints);
    const lock = RunLock.acquire(dir, 'evaluate --resume');
    let outputs: Map<string, Record<string, ScoreOutputV1>>;
    try {
      outputs = await compactResults(dir, info.fingerprints, fingerprints, onLine, options);
    } catch (error) {
      lock.release();
      throw error;
    }
    info.fingerprints = { ...fingerprints };
    info.status = 'running';
    info.ended_at = null;
    info.error = null;
    const folder = new RunFolder(dir, info);
    folder.lock = lock;
    folder.open('a');
    await folder.writeInfo();
    return { folder, stored: { info, outputs } };
  }

  private open(mode: 'w' | 'a'): void {
    try {
      this.resultsFd = openSync(join(this.dir, 'results.jsonl'), mode);
      this.problemsFd = openSync(join(this.dir, 'dataset-errors.jsonl'), 'w');
    } catch (error) {
      throw fileSystemError(error, this.dir, 'write into the run folder', this.resumable());
    }
    openRuns.add(this);
  }

  /**
   * Appends a result line. Free lines (rules, cache hits, skips) reach the OS in groups of up to
   * 256, or within 200 ms: one system call per group. A line that cost an LLM call is written at
   * once, with the free lines before it, by a synchronous write: it is in the kernel before the
   * caller's next await, so a crash (even kill -9) cannot make the resumed run pay for it again.
   */
  append(line: ResultLine): void {
    if (this.failure) throw this.failure;
    this.pending.push(redact(resultLineJson(line)));
    if (this.pending.count >= bufferedLines || line.llm_calls > 0) this.flush();
    else this.timer ??= setTimeout(() => this.flushInBackground(), flushDelayMs).unref();
  }

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (error) {
      this.failure = error;
    }
  }

  /** Writes the buffered result lines. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.count === 0 || this.resultsFd === undefined) return;
    try {
      this.pending.writeTo(this.resultsFd);
    } catch (error) {
      throw fileSystemError(error, join(this.dir, 'results.jsonl'), 'write', this.resumable());
    }
  }

  /**
   * Writes the buffered lines and starts moving `results.jsonl` to the disk in a background thread,
   * for a run whose lines have all been appended: the run's end computes its metrics meanwhile, and
   * the `fsync` of `close` (before the final run.json) finds little left to do. A failed write is
   * thrown by `close`, as it would have been there.
   */
  startSync(): void {
    try {
      this.flush();
    } catch (error) {
      this.failure ??= error;
      return;
    }
    const fd = this.resultsFd;
    if (fd === undefined || this.syncing) return;
    // Best effort, as in `closeFiles`: a file system without fsync is synced there or not at all.
    this.syncing = new Promise((resolve) => fsync(fd, () => resolve()));
  }

  /** How to continue this run after a failed write, once run.json exists (see `fileSystemError`). */
  private resumable(): { resume?: string } {
    if (!existsSync(join(this.dir, 'run.json'))) return {};
    return {
      resume: `plexus evaluate ${shellWord(this.info.scorecard.path)} --resume ${shellWord(this.dir)}`,
    };
  }

  /** Records a dataset row that was skipped. */
  problem(problem: DatasetProblem): void {
    try {
      writeSync(this.problemsFd!, `${redact(JSON.stringify(problem))}\n`);
    } catch (error) {
      const path = join(this.dir, 'dataset-errors.jsonl');
      throw fileSystemError(error, path, 'write', this.resumable());
    }
  }

  /** Writes `metrics.json`. */
  async writeMetrics(metrics: RunMetricsFile): Promise<void> {
    const path = join(this.dir, 'metrics.json');
    await writeFile(path, `${JSON.stringify(metrics, null, 2)}\n`).catch((error: unknown) => {
      throw fileSystemError(error, path, 'write', this.resumable());
    });
  }

  async writeInfo(): Promise<void> {
    const path = join(this.dir, 'run.json');
    try {
      await writeFile(`${path}.tmp`, `${redact(JSON.stringify(this.info, null, 2))}\n`);
      await rename(`${path}.tmp`, path);
    } catch (error) {
      throw fileSystemError(error, path, 'write', this.resumable());
    }
  }

  /** Flushes files, writes the final `run.json` and releases the lock. */
  async close(): Promise<void> {
    try {
      if (this.failure) throw this.failure;
      this.flush();
      // The descriptor stays open until a background fsync is done with it.
      await this.syncing;
      this.closeFiles();
      await this.writeInfo();
    } finally {
      openRuns.delete(this);
      this.lock?.release();
    }
  }

  private closeFiles(): void {
    for (const fd of [this.resultsFd, this.problemsFd]) {
      if (fd === undefined) continue;
      try {
        fsyncSync(fd);
      } catch {
        // fsync is best effort on file systems that do not support it
      }
      closeSync(fd);
    }
    this.resultsFd = undefined;
    this.problemsFd = undefined;
  }

  /** Ends the run at once, synchronously (see `abandonOpenRuns`); every step is best effort. */
  abandon(status: 'failed' | 'interrupted', reason: string): void {
    openRuns.delete(this);
    // Nothing is written after this: a later append says so instead of dropping its line.
    this.failure ??= new RunStoreError(`the run in ${this.dir} was ended: ${reason}`);
    try {
      this.flush();
    } catch {
      // the disk refused: the lines are scored again on resume
    }
    try {
      this.closeFiles();
    } catch {
      // already closed
    }
    const ended = new Date();
    // The counts of the lines on disk (the orderly end counts them as they pass; none ran here).
    const counts = countsOnDisk(this.dir);
    this.info = {
      ...this.info,
      status,
      ended_at: ended.toISOString(),
      duration_s: (ended.getTime() - Date.parse(this.info.started_at)) / 1000,
      error: this.info.error ?? reason,
      ...('unknown' in counts
        ? { counts_unknown: counts.unknown }
        : { counts, counts_unknown: undefined }),
    };
    const path = join(this.dir, 'run.json');
    try {
      writeFileSync(`${path}.tmp`, `${redact(JSON.stringify(this.info, null, 2))}\n`);
      renameSync(`${path}.tmp`, path);
    } catch {
      // readers report a run left running by a dead process as interrupted
    }
    this.lock?.release();
  }
}
