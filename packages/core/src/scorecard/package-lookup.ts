import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** An installed package found in a `node_modules` folder. */
export interface FoundPackage {
  /** The package's folder. */
  folder: string;
  /** The file `import` loads, or undefined when the package names none that exists. */
  entry: string | undefined;
  /** The file the package names as its entry (it may be missing: an unbuilt package). */
  declaredEntry: string;
}

/** The `node_modules` folders Node searches from `folder`: its own, then each parent's. */
export function nodeModulesFolders(folder: string): string[] {
  const folders: string[] = [];
  let current = resolve(folder);
  for (;;) {
    if (!current.endsWith('node_modules')) folders.push(join(current, 'node_modules'));
    const parent = dirname(current);
    if (parent === current) return folders;
    current = parent;
  }
}

const importConditions = new Set(['node', 'import', 'default']);

/** The target of an `exports` value for `import` (conditions in the object's own order). */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const candidate of value) {
      const target = exportTarget(candidate);
      if (target) return target;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if ('.' in record) return exportTarget(record['.']);
  if (Object.keys(record).some((key) => key.startsWith('./'))) return undefined;
  for (const [key, inner] of Object.entries(record)) {
    if (!importConditions.has(key)) continue;
    const target = exportTarget(inner);
    if (target) return target;
  }
  return undefined;
}

function readManifest(folder: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The entry `import` would load from a package folder: `exports`, else `main`, else index.js. */
function packageEntry(folder: string): Omit<FoundPackage, 'folder'> {
  const manifest = readManifest(folder) ?? {};
  const declared =
    manifest.exports !== undefined
      ? exportTarget(manifest.exports)
      : typeof manifest.main === 'string'
        ? manifest.main
        : 'index.js';
  const declaredEntry = join(folder, declared ?? 'index.js');
  if (isFile(declaredEntry)) return { entry: declaredEntry, declaredEntry };
  // `main` may leave out the extension or name a folder, as CommonJS allows.
  if (manifest.exports === undefined) {
    for (const suffix of ['.js', '.mjs', '/index.js', '/index.mjs']) {
      if (isFile(declaredEntry + suffix)) return { entry: declaredEntry + suffix, declaredEntry };
    }
  }
  return { entry: undefined, declaredEntry };
}

/** The folder of the nearest package.json at or above `folder` (its package scope). */
function packageScope(folder: string): string | undefined {
  let current = resolve(folder);
  for (;;) {
    if (isFile(join(current, 'package.json'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

const npmPackageName = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** Whether `name` is an npm package name (`name`, `@scope/name`), never a path (`../x`, `/x`, `file:`). */
export function isPackageName(name: string): boolean {
  return npmPackageName.test(name) && !name.includes('..');
}

/**
 * Finds an installed package the way Node does: a package naming itself from inside (a scorecard
 * next to a score package's source), else each folder's `node_modules` chain. A name that is a
 * path finds nothing: `node_modules/../x` would load a file beside `node_modules`.
 */
export function findPackage(name: string, searchFrom: readonly string[]): FoundPackage | undefined {
  if (!isPackageName(name)) return undefined;
  for (const start of searchFrom) {
    const scope = packageScope(start);
    if (scope && readManifest(scope)?.name === name)
      return { folder: scope, ...packageEntry(scope) };
    for (const modules of nodeModulesFolders(start)) {
      const folder = join(modules, name);
      if (!existsSync(join(folder, 'package.json'))) continue;
      return { folder, ...packageEntry(folder) };
    }
  }
  return undefined;
}

function listFolder(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** Installed `@plexus/*` and `plexus-*` packages (also `@scope/plexus-*`) seen from the folders. */
export function installedScorePackages(searchFrom: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const start of searchFrom) {
    for (const modules of nodeModulesFolders(start)) {
      for (const entry of listFolder(modules)) {
        if (entry.startsWith('plexus-')) names.add(entry);
        if (!entry.startsWith('@')) continue;
        for (const inner of listFolder(join(modules, entry))) {
          if (entry === '@plexus' || inner.startsWith('plexus-')) names.add(`${entry}/${inner}`);
        }
      }
    }
  }
  return names;
}
