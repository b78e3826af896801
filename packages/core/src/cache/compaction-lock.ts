import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who compacts a cache folder's logs (`log/compact.lock`, which no cache reads). */
interface Compactor {
  pid: number;
  host: string;
}

function holder(path: string): Compactor | undefined {
  try {
    const read = JSON.parse(readFileSync(path, 'utf8')) as Partial<Compactor>;
    return typeof read.pid === 'number' && typeof read.host === 'string'
      ? { pid: read.pid, host: read.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function alive(compactor: Compactor): boolean {
  if (compactor.host !== hostname()) return true; // another machine's: cannot be checked
  try {
    process.kill(compactor.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file created in the last seconds may not hold its writer yet. */
function justWritten(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 10_000;
  } catch {
    return false;
  }
}

/**
 * Takes a folder's compaction lock: a release function, or why another compaction has it (two at
 * once each wrote a merged log of every entry: three compactions, three times the bytes). A lock
 * of a dead process of this host, or an unreadable one, is taken over.
 */
export function takeCompactionLock(folder: string): (() => void) | string {
  const path = join(folder, 'log', 'compact.lock');
  const self: Compactor = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, JSON.stringify(self), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = holder(path);
    if (!other && justWritten(path))
      return `another plexus cache compact or prune is starting on its logs; left to it`;
    if (other && alive(other))
      return `another plexus cache compact or prune (process ${other.pid} on ${other.host}) is merging its logs; left to it (if that process is gone, delete ${path})`;
    rmSync(path, { force: true });
  }
  return `another plexus cache compact or prune keeps taking ${path}; left to it`;
}
