// The run folder's `replaced.jsonl`: results a resume scored again (an error retried, a result of
// a score edited since). Their answers are gone from results.jsonl; what they paid stays the run's
// (see `RunMetrics.addReplaced`). A resume stages the lines it replaces and adds them only once its
// rewrite of results.jsonl is in place: a resume that failed before (a full disk) left them in
// results.jsonl, and the next one replaced and counted them again (410 calls for 405 received).
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { redact } from '../common/secrets.js';
import { readResultLines } from './result-file.js';
import type { ResultLine } from './result-line.js';

export const replacedFile = 'replaced.jsonl';

export class ReplacedLines {
  private readonly path: string;
  private readonly staged: string;
  private fd: number | undefined;

  constructor(dir: string) {
    this.path = join(dir, replacedFile);
    this.staged = `${this.path}.resume`;
  }

  /**
   * Settles what a resume that stopped left: with its rewrite of results.jsonl not in place
   * (`rewriteLeft`), its staged lines are still in results.jsonl and are dropped; with it in place,
   * they are added.
   */
  recover(rewriteLeft: boolean): void {
    if (!existsSync(this.staged)) return;
    if (rewriteLeft) rmSync(this.staged, { force: true });
    else this.commit();
  }

  /** Stages a line this resume replaces. */
  add(line: ResultLine): void {
    this.fd ??= openSync(this.staged, 'w');
    writeSync(this.fd, `${redact(JSON.stringify(line))}\n`);
  }

  /** Writes the staged lines to the disk. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } catch {
      // fsync is best effort on file systems that do not support it
    } finally {
      closeSync(fd);
    }
  }

  /** Adds the staged lines to replaced.jsonl (the rewrite that dropped them is in place). */
  commit(): void {
    this.close();
    if (!existsSync(this.staged)) return;
    appendFileSync(this.path, readFileSync(this.staged));
    const fd = openSync(this.path, 'r');
    try {
      fsyncSync(fd);
    } catch {
      // best effort, as above
    } finally {
      closeSync(fd);
    }
    rmSync(this.staged, { force: true });
  }

  /** Each replaced line, this resume's and earlier ones'. */
  async read(onLine: (line: ResultLine) => void): Promise<void> {
    if (!existsSync(this.path)) return;
    for await (const line of readResultLines(this.path)) onLine(line);
  }
}
