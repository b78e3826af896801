// Bounds the tests' Spark class-data archives (scripts/spark-test-jvm.sh): one per checkout path,
// about 170 MB each, in the venv cache. The script removes those of deleted checkouts when it makes
// a new one; this runs each time localSpark() gives options, so archives of temporary clones since
// deleted (and of none: made before the `.bin` file named the checkout) do not pile up.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** `spark-cds-<key>.jsa` and its side files: `.bin` (the checkout's venv bin/), `.ok`, `.lock`, `.failed`. */
const archiveFile = /^(spark-cds-[0-9a-f]+\.jsa)(?:\.(bin|ok|lock|failed)|\.(\d+)\.tmp)?$/;

export interface PrunedArchives {
  /** Archives removed, with their side files. */
  removed: string[];
  /** Archives of other checkouts kept, with why. */
  kept: { path: string; why: string }[];
}

/** Every file a running process maps (a JVM maps its class archive), from `/proc/<pid>/maps`. */
function mappedFiles(): Set<string> {
  const mapped = new Set<string>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let maps: string;
    try {
      maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    } catch {
      continue; // ended since, or another user's (it cannot read this user's cache)
    }
    for (const line of maps.split('\n')) {
      const at = line.indexOf('/');
      if (at >= 0) mapped.add(line.slice(at).replace(/ \(deleted\)$/, ''));
    }
  }
  return mapped;
}

/** Whether process `pid` is alive (a temporary archive of a dead one is left over). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `archive` and its side files holding its lock (`flock -n`, as the script takes it), so
 * never while a script checks or makes it; false when the lock is held (or flock is missing).
 */
function removeLocked(archive: string): boolean {
  const files = [
    archive,
    `${archive}.ok`,
    `${archive}.bin`,
    `${archive}.failed`,
    `${archive}.lock`,
  ];
  const removed = spawnSync('flock', ['-n', `${archive}.lock`, 'rm', '-f', ...files], {
    stdio: 'ignore',
  });
  return removed.status === 0;
}

/** Why `archive` stays, or undefined when it can go. */
function keptBecause(archive: string, mapped: Set<string>): string | undefined {
  // A failed attempt's log without an archive stops a checkout's tests from trying again; it
  // names no checkout: kept (a few KB).
  if (!existsSync(archive) && existsSync(`${archive}.failed`))
    return 'a failed attempt, no archive';
  const bin = `${archive}.bin`;
  const checkout = existsSync(bin) ? readFileSync(bin, 'utf8').trim() : undefined;
  if (checkout && existsSync(checkout)) return `its checkout ${checkout} exists`;
  if (mapped.has(archive)) return 'a running process maps it';
  return undefined;
}

/**
 * In `folder` (the venv cache), removes the class-data archives whose checkout no longer exists
 * (the path in their `.bin` file) or is not named (made before `.bin` files), with their side
 * files, and temporary archives of scripts that died. Never removes `current`, an archive a
 * running process maps (a JVM started with it), or one whose lock a script holds. Only where
 * `/proc` tells which files are in use (Linux); elsewhere nothing is removed.
 */
export function pruneClassArchives(cache: string, currentArchive: string): PrunedArchives {
  const pruned: PrunedArchives = { removed: [], kept: [] };
  if (!existsSync('/proc/self/maps') || !existsSync(cache)) return pruned;
  // Spelled as the kernel lists mapped files (symbolic links resolved).
  const folder = realpathSync(cache);
  const current = join(folder, basename(currentArchive));
  const archives = new Set<string>();
  for (const name of readdirSync(folder)) {
    const match = archiveFile.exec(name);
    if (!match) continue;
    const archive = join(folder, match[1]!);
    const pid = match[3];
    if (pid !== undefined && !alive(Number(pid))) rmSync(join(folder, name), { force: true });
    else if (archive !== current) archives.add(archive);
  }
  if (archives.size === 0) return pruned;
  const mapped = mappedFiles();
  for (const archive of archives) {
    const why = keptBecause(archive, mapped);
    if (why) pruned.kept.push({ path: archive, why });
    else if (removeLocked(archive)) pruned.removed.push(archive);
    else pruned.kept.push({ path: archive, why: 'a script holds its lock' });
  }
  return pruned;
}

/** The archive named in JVM options (`-XX:SharedArchiveFile=PATH`), if any. */
export function archiveOf(javaOptions: string): string | undefined {
  const path = /-XX:SharedArchiveFile=(\S+)/.exec(javaOptions)?.[1];
  return path && basename(path).startsWith('spark-cds-') ? path : undefined;
}

/**
 * Prunes the folder of the archive `javaOptions` name (nothing without one). That archive gets a
 * `.bin` naming `checkoutBin` (the venv's bin/, as the script names it) if it has none (made
 * before `.bin` files), so that other checkouts' pruning keeps it while this checkout exists.
 */
export function pruneBeside(javaOptions: string, checkoutBin: string): PrunedArchives | undefined {
  const current = archiveOf(javaOptions);
  if (!current) return undefined;
  if (existsSync(current) && !existsSync(`${current}.bin`)) {
    try {
      writeFileSync(`${current}.bin`, `${resolve(checkoutBin)}\n`);
    } catch {
      // A cache it cannot write: the archive stays as it is.
    }
  }
  return pruneClassArchives(dirname(current), current);
}
