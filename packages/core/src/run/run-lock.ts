import { randomUUID } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import { fileSystemError } from '../common/file-system-error.js';

/** Contents of `run.lock`: who writes the run folder. */
export interface LockHolder {
  pid: number;
  host: string;
  started_at: string;
  /** `evaluate`, `evaluate --resume`. */
  command: string;
}

/** The lock file of a run folder. */
export const lockFileName = 'run.lock';

/** Lock files this process holds (absolute paths). */
const heldHere = new Set<string>();

/**
 * Whether a lock naming this process's pid, which it does not hold, was taken before it began: an
 * earlier process that had the same pid left it (a container restarted with the same host name
 * numbers its processes alike, the CLI as pid 1 each time: the resume was told "in use by
 * process 1; wait for it to end" for ever).
 */
function fromEarlierLife(path: string, holder: LockHolder): boolean {
  if (holder.pid !== process.pid || heldHere.has(resolve(path))) return false;
  return Date.parse(holder.started_at) < Date.now() - process.uptime() * 1000;
}
/** A takeover that has not finished within this long was cut short by its own process's death. */
const takeoverTimeoutMs = 10_000;

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` of this host still runs (EPERM: it runs under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Who holds a run folder's lock: `live` (a running process of this host, or of another host,
 * which cannot be checked), `stale` (a dead process of this host, or an unreadable lock file),
 * or undefined when nobody does.
 */
export function lockState(
  dir: string,
): { holder?: LockHolder; state: 'live' | 'stale' } | undefined {
  const path = join(dir, lockFileName);
  let exists = true;
  try {
    statSync(path);
  } catch {
    exists = false;
  }
  if (!exists) return undefined;
  const holder = readHolder(path);
  if (!holder) return { state: 'stale' };
  if (holder.host !== hostname()) return { holder, state: 'live' };
  if (fromEarlierLife(path, holder)) return { holder, state: 'stale' };
  return { holder, state: processAlive(holder.pid) ? 'live' : 'stale' };
}

function describe(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.started_at})`;
}

/**
 * Creates the lock file with its holder in one step: written to a file of this process first, then
 * linked into place (a link fails when the lock exists). Created empty and written after, a lock
 * read in between looked unreadable, so stale: a second taker removed it and both runs went on.
 */
function createLock(path: string, holder: LockHolder): boolean {
  const own = `${path}.${process.pid}.${randomUUID()}`;
  try {
    writeFileSync(own, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
  } catch (error) {
    // Read-only, no permission, disk full: said so, with the path.
    throw fileSystemError(error, path, 'create the lock');
  }
  try {
    linkSync(own, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: an exclusive create, as before.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP')
      return createInPlace(path, holder);
    throw fileSystemError(error, path, 'create the lock');
  } finally {
    rmSync(own, { force: true });
  }
}

/** `createLock` where links cannot be made: the file created, then written. */
function createInPlace(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fileSystemError(error, path, 'create the lock');
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a stale lock, one taker at a time (`run.lock.takeover` is their mutex). */
function removeStale(dir: string): void {
  const mutex = join(dir, `${lockFileName}.takeover`);
  try {
    if (Date.now() - statSync(mutex).mtimeMs > takeoverTimeoutMs) unlinkSync(mutex);
  } catch {
    // no takeover under way
  }
  const self: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started_at: new Date().toISOString(),
    command: 'takeover',
  };
  if (!createLock(mutex, self)) return;
  try {
    // Checked again under the mutex: another taker may have replaced it with a live lock.
    if (lockState(dir)?.state === 'stale') rmSync(join(dir, lockFileName), { force: true });
  } finally {
    // Gone already when a slow takeover outlived `takeoverTimeoutMs` and another removed it.
    rmSync(mutex, { force: true });
  }
}

/** A held lock of a run folder; `release` removes it (once). */
export class RunLock {
  private released = false;

  private constructor(readonly path: string) {}

  /**
   * Takes the lock of `dir` for this process, taking over a stale one (a dead process of this
   * host). Another live writer: bad input (exit 2) naming it.
   */
  static acquire(dir: string, command: string): RunLock {
    const path = join(dir, lockFileName);
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      started_at: new Date().toISOString(),
      command,
    };
    for (let attempt = 0; attempt < 20; attempt += 1) {
      if (createLock(path, holder)) {
        heldHere.add(resolve(path));
        return new RunLock(path);
      }
      const current = lockState(dir);
      if (current?.state === 'live' && current.holder) {
        const sameHost = current.holder.host === hostname();
        throw new InvalidConfigError([
          {
            path: dir,
            message: `the run folder is in use by ${describe(current.holder)}; wait for it to end${sameHost ? '' : `, or if that process is gone, delete ${path}`}`,
          },
        ]);
      }
      if (current) removeStale(dir);
      // Another taker holds the takeover mutex: give it a moment.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
    throw new InvalidConfigError([
      { path: dir, message: `cannot take the lock ${path}: another process keeps taking it` },
    ]);
  }

  /** Removes the lock file; safe to call twice and from an `exit` handler. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(resolve(this.path));
    try {
      if (readHolder(this.path)?.pid === process.pid) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
