// The hostile-filesystem tests' shared parts: a work folder, real tmpfs mounts (full, read-only),
// folders the CLI may not write into, and the CLI run without root's power over file modes.
// Each test file that imports this gets its own work folder (vitest runs files apart).
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, here, workDir } from './harness.js';

export const dir = workDir('filesystem');
chmodSync(dir, 0o755); // user nobody reads the scorecards and datasets
export const env = { TEST_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };
export const sms = fileURLToPath(
  new URL('../../packages/classifier-forest/fixtures/sms-1200.csv', import.meta.url),
);
const isRoot = process.getuid?.() === 0;

const mounts: string[] = [];
/** A tmpfs mounted in the work folder with these options, or undefined when mounting is refused. */
export function tmpfs(name: string, options: string): string | undefined {
  const target = join(dir, name);
  mkdirSync(target, { recursive: true });
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', target]);
  if (result.status !== 0) return undefined;
  mounts.push(target);
  return target;
}
/** Unmounts what `tmpfs` mounted: a test file that mounts calls it in `afterAll`. */
export function unmountAll(): void {
  for (const target of mounts.reverse()) spawnSync('umount', ['-l', target]);
  mounts.length = 0;
}
let mountable: boolean | undefined;
/** Whether tmpfs mounts work here (root, as in CI): probed once, with a 16 KiB mount. */
export function canMount(): boolean {
  mountable ??= tmpfs('probe', 'size=16k') !== undefined;
  return mountable;
}
/** A test name, with the reason when it is skipped for want of mounts. */
export const mounted = (name: string) =>
  canMount() ? name : `${name} (skipped: mount -t tmpfs is refused here, not root)`;

/** Fills a folder's file system: a file grows until the disk is full. */
export function fill(folder: string): void {
  const fd = openSync(join(folder, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096, 1));
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
}

/** Every file and folder under `folder`, relative, with the size of files. */
export function listing(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const stat = statSync(join(folder, name));
      return stat.isDirectory() ? `${name}/` : `${name} (${stat.size} bytes)`;
    })
    .sort();
}

/**
 * How root runs the CLI without its power over file modes: `setpriv` drops the capabilities that
 * bypass them (so a mode-555 folder refuses root too, wherever the checkout is, even in a folder
 * only root can enter, as `mktemp -d` makes); without setpriv, as user nobody (who must be able to
 * read the checkout).
 */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const dropCaps = '-dac_override,-dac_read_search,-fowner';
const asNobody = isRoot && !setpriv;

/** A folder that the CLI cannot write into: root's own folder for user nobody, or mode 555. */
export function forbiddenFolder(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, asNobody ? 0o755 : 0o555);
  return folder;
}

/** `plexus ...args` without the right to bypass file modes (see `setpriv`). */
export function runCliUnprivileged(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, cli, ...args];
  const [file, ...rest] =
    isRoot && setpriv
      ? [setpriv, `--inh-caps=${dropCaps}`, `--bounding-set=${dropCaps}`, '--', ...command]
      : command;
  const child = spawn(file!, rest, {
    cwd: here,
    env: { ...process.env, ...env, HOME: dir, ...extra },
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('close', (code) => done({ code, stdout, stderr })),
  );
}

/** Item and value of each result line, sorted: what a run decided, whatever the cache did. */
export function decisions(out: string): string[] {
  return readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { item_id: string; score: string; value: string | null })
    .map((line) => `${line.item_id}|${line.score}|${line.value}`)
    .sort();
}
