import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetProblem } from './dataset/dataset.js';
import { errorMessage, InvalidConfigError, RunStoreError } from './errors.js';
import type { ScoreMetrics } from './metrics/score-metrics.js';
import { readResultLines } from './result-file.js';
import { outputOfLine, type ResultLine } from './result-line.js';
import type { ScoreOutputV1 } from './score-spec.js';
import { redact } from './secrets.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/** Contents of `run.json`. */
export interface RunInfo {
  version: 1;
  /** Unique id of the run (trackers use it to find the run again); absent in early folders. */
  id?: string;
  scorecard: { name: string; key: string; path: string; hash: string };
  /** Effective fingerprint per score: results stored under another one are scored again. */
  fingerprints: Record<string, string>;
  data: { path: string };
  options: Record<string, unknown>;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  duration_s: number | null;
  counts: {
    items: number;
    results: number;
    errors: number;
    skipped: number;
    malformed_rows: number;
    cache_hits: number;
  };
  error: string | null;
}

/** Contents of `metrics.json`. */
export interface RunMetricsFile {
  scorecard: string;
  items: number;
  scores: Record<string, ScoreMetrics>;
  cost: {
    /** US dollars; null when some calls have no price (listed in `unpriced_models`). */
    usd: number | null;
    /** The models whose calls have no price; empty when every call was priced. */
    unpriced_models: string[];
    input_tokens: number;
    output_tokens: number;
    llm_calls: number;
    retries: number;
  };
  duration_s: number;
}

/** What a resumed run already has. */
export interface StoredRun {
  info: RunInfo;
  /** Stored outputs per item id, for the scores whose fingerprint is unchanged. */
  outputs: Map<string, Record<string, ScoreOutputV1>>;
}

/** A run folder: `run.json`, `results.jsonl` (append-only), `dataset-errors.jsonl`, the scorecard. */
/** Lines kept before a write; a crash loses at most these (they are scored again on resume). */
const bufferedLines = 256;
/** Longest a line waits in the buffer, in milliseconds. */
const flushDelayMs = 200;

export class RunFolder {
  private resultsFd: number | undefined;
  private problemsFd: number | undefined;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** A write that failed in the background, thrown by the next call. */
  private failure: unknown;

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
    try {
      await mkdir(dir, { recursive: true });
      if (existsSync(join(dir, 'run.json'))) {
        throw new InvalidConfigError([
          {
            path: '--out',
            message: `${dir} already holds a run; use --resume ${dir} to continue it or choose another --out`,
          },
        ]);
      }
      await writeFile(
        join(dir, scorecard.path.endsWith('.json') ? 'scorecard.json' : 'scorecard.yaml'),
        scorecard.source,
      );
    } catch (error) {
      if (error instanceof InvalidConfigError) throw error;
      throw new RunStoreError(`cannot create the run folder ${dir}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    const folder = new RunFolder(dir, info);
    folder.open('w');
    await folder.writeInfo();
    return folder;
  }

  /**
   * Opens a run folder to continue it. Results of scores whose fingerprint changed, and a line cut
   * short by a crash, are dropped; the file is rewritten without them before anything is appended.
   */
  static async resume(
    dir: string,
    fingerprints: Readonly<Record<string, string>>,
    onLine: (line: ResultLine) => void,
  ): Promise<{ folder: RunFolder; stored: StoredRun }> {
    let info: RunInfo;
    try {
      info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo;
    } catch (error) {
      throw new InvalidConfigError([
        { path: '--resume', message: `${dir} is not a run folder (${errorMessage(error)})` },
      ]);
    }
    const outputs = new Map<string, Record<string, ScoreOutputV1>>();
    const resultsPath = join(dir, 'results.jsonl');
    const compacted = `${resultsPath}.resume`;
    const fd = openSync(compacted, 'w');
    if (existsSync(resultsPath)) {
      for await (const line of readResultLines(resultsPath)) {
        if (info.fingerprints[line.score] !== fingerprints[line.score]) continue;
        const stored = outputs.get(line.item_id) ?? {};
        if (line.score in stored) continue;
        stored[line.score] = outputOfLine(line);
        outputs.set(line.item_id, stored);
        writeSync(fd, `${redact(JSON.stringify(line))}\n`);
        onLine(line);
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    await rename(compacted, resultsPath);
    info.fingerprints = { ...fingerprints };
    info.status = 'running';
    info.ended_at = null;
    const folder = new RunFolder(dir, info);
    folder.open('a');
    await folder.writeInfo();
    return { folder, stored: { info, outputs } };
  }

  private open(mode: 'w' | 'a'): void {
    this.resultsFd = openSync(join(this.dir, 'results.jsonl'), mode);
    this.problemsFd = openSync(join(this.dir, 'dataset-errors.jsonl'), 'w');
  }

  /**
   * Appends a result line. Lines reach the OS in groups of up to 256, or within 200 ms: one
   * system call per group instead of per line. A line that cost an LLM call is written before
   * the next turn of the event loop: a crash must not make the resumed run pay for it again.
   */
  append(line: ResultLine): void {
    if (this.failure) throw this.failure;
    this.pending.push(redact(JSON.stringify(line)));
    if (this.pending.length >= bufferedLines) this.flush();
    else if (line.llm_calls > 0)
      this.immediate ??= setImmediate(() => this.flushInBackground()).unref();
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
    clearImmediate(this.immediate);
    this.immediate = undefined;
    if (this.pending.length === 0 || this.resultsFd === undefined) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    try {
      writeSync(this.resultsFd, text);
    } catch (error) {
      throw new RunStoreError(
        `cannot write ${join(this.dir, 'results.jsonl')}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  /** Records a dataset row that was skipped. */
  problem(problem: DatasetProblem): void {
    writeSync(this.problemsFd!, `${redact(JSON.stringify(problem))}\n`);
  }

  /** Writes `metrics.json`. */
  async writeMetrics(metrics: RunMetricsFile): Promise<void> {
    await writeFile(join(this.dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  }

  async writeInfo(): Promise<void> {
    const path = join(this.dir, 'run.json');
    await writeFile(`${path}.tmp`, `${redact(JSON.stringify(this.info, null, 2))}\n`);
    await rename(`${path}.tmp`, path);
  }

  /** Flushes files and writes the final `run.json`. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.flush();
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
    await this.writeInfo();
  }
}
