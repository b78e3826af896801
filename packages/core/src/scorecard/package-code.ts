import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Files hashed at most, and their bytes; above either, their names and sizes are (not their
 * times, which every install changes: the cache would miss after each one).
 */
const maxFiles = 1000;
const maxBytes = 64 << 20;
/**
 * Files whose names and sizes are hashed at most. The walk stopped at `maxFiles + 1`, in the file
 * system's order: which files those were varied, and a change to any other went unseen.
 */
const maxNamedFiles = 100_000;
const codeFile = /\.(?:js|mjs|cjs)$/;

/** The JavaScript files under `folder` (not in `node_modules` or dot folders), sorted. */
function codeFiles(folder: string): string[] {
  const found: string[] = [];
  const visit = (at: string): void => {
    const entries = readdirSync(at, { withFileTypes: true }).sort((left, right) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (found.length >= maxNamedFiles) return;
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (codeFile.test(entry.name)) found.push(path);
    }
  };
  visit(folder);
  return found.sort();
}

/**
 * What identifies a score package's code: its name, its `version` and a SHA-256 of the JavaScript
 * files in its entry's folder (`dist/` of a built package; the package folder when the entry is
 * at its top), file names included. It is part of each score's fingerprint, so a cached output
 * or a resumed run's result from other code is scored again: a fix in a score package (yours,
 * without a version bump, or a Plexus upgrade) is not hidden by outputs cached before it.
 */
export function packageCode(name: string, folder: string, entry: string): string {
  let version = 'unknown';
  try {
    const given = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
    if (typeof given === 'string' && given !== '') version = given;
  } catch {
    // A package.json that cannot be read: the code's hash still tells versions apart.
  }
  const hash = createHash('sha256');
  try {
    const root = dirname(entry);
    const files = codeFiles(root);
    const sizes = files.map((file) => statSync(file));
    const total = sizes.reduce((sum, stat) => sum + stat.size, 0);
    const whole = files.length <= maxFiles && total <= maxBytes;
    files.forEach((file, index) => {
      hash.update(`${relative(root, file)}\u0000`);
      const stat = sizes[index]!;
      hash.update(whole ? readFileSync(file) : String(stat.size));
      hash.update('\u0000');
    });
  } catch (error) {
    hash.update(`unreadable: ${(error as Error).message}`);
  }
  return `${name}@${version} ${hash.digest('hex')}`;
}
