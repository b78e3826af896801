#!/usr/bin/env node
// Packs every published package (packages/*, not private) with pnpm into one folder, as the
// registry would get them (workspace: ranges replaced by versions). Usage: pack-all.mjs [DEST]
// (default .packs). Prints the tarballs; the tests import packAll from here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The published packages: short folder name → package name. */
export function publishedPackages() {
  const folders = readdirSync(join(root, 'packages'), { withFileTypes: true });
  const packages = new Map();
  for (const folder of folders) {
    if (!folder.isDirectory()) continue;
    const manifest = JSON.parse(
      readFileSync(join(root, 'packages', folder.name, 'package.json'), 'utf8'),
    );
    if (!manifest.private) packages.set(folder.name, manifest.name);
  }
  return packages;
}

/**
 * Packs each published package into `destination` (emptied of older tarballs first).
 * Returns folder name (`core`, `cli`, ...) → tarball path. The packages must be built.
 */
export function packAll(destination) {
  const folder = resolve(destination);
  mkdirSync(folder, { recursive: true });
  for (const old of readdirSync(folder).filter((name) => name.endsWith('.tgz')))
    rmSync(join(folder, old));
  const tarballs = new Map();
  for (const [name, packageName] of publishedPackages()) {
    const before = new Set(readdirSync(folder));
    execFileSync('pnpm', ['pack', '--pack-destination', folder], {
      cwd: join(root, 'packages', name),
      stdio: 'ignore',
    });
    const file = readdirSync(folder).find((entry) => !before.has(entry) && entry.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${packageName}`);
    tarballs.set(name, join(folder, file));
  }
  return tarballs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const destination = resolve(process.argv[2] ?? join(root, '.packs'));
  const tarballs = packAll(destination);
  console.log(`${tarballs.size} tarballs in ${destination}:`);
  for (const file of tarballs.values()) console.log(`  ${file}`);
  console.log(`install them in your project with: npm install ${destination}/*.tgz`);
}
