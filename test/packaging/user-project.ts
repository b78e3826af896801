// What user-install.test.ts needs to act as a user outside the monorepo: tarballs unpacked and
// read as the registry would serve them, fresh npm projects, and commands run without pnpm's
// settings.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** The temporary folders made here, removed by `removeTemporaryFolders` when the tests end. */
const made: string[] = [];

/** A fresh temporary folder, remembered for removal. */
export function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every temporary folder made here (the projects' node_modules: about 150 MB a run). */
export function removeTemporaryFolders(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** npm as a user runs it: without the npm_config_* settings pnpm passes to its scripts. */
export const userEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
);

export interface Manifest {
  name: string;
  version: string;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface Unpacked {
  tarball: string;
  /** The unpacked `package/` folder. */
  dir: string;
  manifest: Manifest;
  /** Every file in the tarball, relative to `package/`, with `/` separators. */
  files: string[];
}

/** A tarball unpacked into a fresh folder, as npm would see it. */
export function unpack(tarball: string): Unpacked {
  const into = temporaryFolder('plexus-unpacked-');
  execFileSync('tar', ['-xzf', tarball, '-C', into]);
  const dir = join(into, 'package');
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  return { tarball, dir, manifest, files: filesUnder(dir).map((file) => relative(dir, file)) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file a manifest points at: main, types, bin and each leaf of the exports map. */
export function manifestTargets(manifest: Manifest): string[] {
  const targets: string[] = [];
  const leaves = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(leaves);
  };
  leaves(manifest.exports);
  if (manifest.main) targets.push(manifest.main);
  if (manifest.types) targets.push(manifest.types);
  leaves(manifest.bin);
  return targets.map((target) => target.replace(/^\.\//, ''));
}

const packageName = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*/;
const importSites = [
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm,
  /^\s*import\s*["']([^"']+)["']/gm,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  /\bcreateRequire\([^)]*\)\(\s*["']([^"']+)["']\s*\)/g,
];

/** The packages a built file imports by name (not relative paths nor Node's builtins). */
export function importedPackages(text: string): Set<string> {
  const names = new Set<string>();
  for (const site of importSites)
    for (const match of text.matchAll(site)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.') || isBuiltin(specifier)) continue;
      const name = packageName.exec(specifier)?.[0];
      if (
        name &&
        name.length === specifier.split('/', name.startsWith('@') ? 2 : 1).join('/').length
      )
        names.add(name);
    }
  return names;
}

/** Files a built module loads beside itself: `new URL('./x.js', import.meta.url)` (folders left out). */
export function siblingUrls(text: string): string[] {
  return [
    ...text.matchAll(/new URL\(\s*["'](\.{1,2}\/[^"']*[^/"'])["']\s*,\s*import\.meta\.url\s*\)/g),
  ].map((match) => match[1]!);
}

/** Whether `version` is in `range`, for the forms the packages use (`^x.y.z`, `>=a <b`, exact). */
export function inRange(version: string, range: string): boolean {
  const parse = (text: string) => text.split('.').map(Number) as [number, number, number];
  const compare = (a: string, b: string) => {
    const [x, y] = [parse(a), parse(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  return range.split(/\s+/).every((part) => {
    const caret = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part);
    if (caret) {
      const [major, minor] = [Number(caret[1]), Number(caret[2])];
      const upper = major > 0 ? `${major + 1}.0.0` : `0.${minor + 1}.0`;
      return compare(version, part.slice(1)) >= 0 && compare(version, upper) < 0;
    }
    const bound = /^(>=|<=|>|<)?(\d+\.\d+\.\d+)$/.exec(part);
    if (!bound) throw new Error(`range form not handled: ${range}`);
    const order = compare(version, bound[2]!);
    return (
      { '>=': order >= 0, '<=': order <= 0, '>': order > 0, '<': order < 0 }[bound[1] ?? '='] ??
      order === 0
    );
  });
}

/** A fresh npm project (a package.json as `npm init -y` writes, CommonJS by default). */
export function freshProject(): string {
  const dir = temporaryFolder('plexus-user-');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'user-project', version: '1.0.0' }),
  );
  return dir;
}

/** npm install in `dir`: the tarballs, their third-party dependencies from npm's cache or registry. */
export function npmInstall(dir: string, specs: readonly string[]): void {
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    { cwd: dir, env: userEnv, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** A command in `dir`: its exit status and output. */
export function run(dir: string, command: string, args: readonly string[]) {
  const result = spawnSync(command, args, { cwd: dir, env: userEnv, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes files (path → text) under `dir`, making their folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** A score package of the user's own, as the README's "Writing a score package" says. */
export function userScorePackage(): string {
  const dir = freshProject();
  writeFiles(dir, {
    'package.json': JSON.stringify({
      name: 'plexus-score-length',
      version: '1.0.0',
      type: 'module',
      exports: { '.': { types: './index.d.ts', import: './index.js' } },
      types: './index.d.ts',
      files: ['index.js', 'index.d.ts'],
      peerDependencies: { '@plexus/core': '>=0.1.0 <1.0.0', zod: '^4.1.0' },
    }),
    'index.d.ts':
      "import type { PluginV1 } from '@plexus/core';\nexport declare const plugin: PluginV1;\n",
    'index.js': `import { definePlugin, defineScoreFactory } from '@plexus/core';
import { z } from 'zod';
const length = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'length',
  settingsSchema: z.object({ max_words: z.number().int().positive() }).strict(),
  outputLabels: () => ['long', 'short'],
  create: (settings, env) => ({
    specificationVersion: 'v1',
    kind: 'plexus-score-length/length',
    name: env.name,
    labels: ['long', 'short'],
    fingerprint: 'length-' + settings.max_words,
    async doScore({ items }) {
      return items.map((item) => ({ value: item.text.split(/\\s+/).length > settings.max_words ? 'long' : 'short', status: 'ok' }));
    },
  }),
});
export const plugin = definePlugin({ specificationVersion: 'v1', name: 'plexus-score-length', factories: [length] });
`,
  });
  const packedName = run(dir, 'npm', ['pack', '--silent']).stdout.trim().split('\n').at(-1)!;
  return join(dir, packedName);
}
