import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ParsedClass, PluginResolver, parseScoreClass } from './plugin-resolver.js';

const pluginSource = (name: string) =>
  `export const plugin = { specificationVersion: 'v1', name: '${name}', factories: [{ specificationVersion: 'v1', kind: 'length', create: () => undefined }] };\n`;

/** A project folder with these packages in its node_modules: name → package.json and files. */
function project(packages: Record<string, { manifest: object; files?: Record<string, string> }>) {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-resolver-'));
  for (const [name, { manifest, files = {} }] of Object.entries(packages)) {
    const folder = join(dir, 'node_modules', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, ...manifest }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(folder, file, '..'), { recursive: true });
      writeFileSync(join(folder, file), text);
    }
  }
  return dir;
}

async function factoryFor(dir: string, className: string): Promise<unknown> {
  const parsed = parseScoreClass(className) as ParsedClass;
  const found = await new PluginResolver({ searchFrom: [join(dir, 'cards')] }).factory(parsed);
  return typeof found === 'string' ? found : found.kind;
}

describe('PluginResolver', () => {
  it('loads an ESM-only package whose exports have only "import"', async () => {
    const dir = project({
      'plexus-esm-only': {
        manifest: { type: 'module', exports: { '.': { import: './dist/index.js' } } },
        files: { 'dist/index.js': pluginSource('plexus-esm-only') },
      },
    });
    expect(await factoryFor(dir, 'plexus-esm-only/length')).toBe('length');
  });

  it('loads exports given as a string, nested conditions, and a plain main', async () => {
    const dir = project({
      'plexus-string': {
        manifest: { type: 'module', exports: './lib/main.js' },
        files: { 'lib/main.js': pluginSource('plexus-string') },
      },
      '@acme/plexus-nested': {
        manifest: {
          type: 'module',
          exports: { '.': { types: './x.d.ts', node: { import: './esm/index.js' } } },
        },
        files: { 'esm/index.js': pluginSource('@acme/plexus-nested') },
      },
      'plexus-main': {
        manifest: { type: 'module', main: 'entry' },
        files: { 'entry.js': pluginSource('plexus-main') },
      },
    });
    expect(await factoryFor(dir, 'plexus-string/length')).toBe('length');
    expect(await factoryFor(dir, '@acme/plexus-nested/length')).toBe('length');
    expect(await factoryFor(dir, 'plexus-main/length')).toBe('length');
  });

  it('says an installed package that was never built has no built entry, with its folder', async () => {
    const dir = project({
      'plexus-unbuilt': {
        manifest: { type: 'module', exports: { '.': { import: './dist/index.js' } } },
        files: { 'src/index.ts': 'export {};\n' },
      },
    });
    expect(await factoryFor(dir, 'plexus-unbuilt/length')).toBe(
      `found plexus-unbuilt at ${join(dir, 'node_modules', 'plexus-unbuilt')} but it has no built entry (dist/index.js is missing): build it (npm run build in that folder)`,
    );
  });

  it('offers the closest installed score package for a misspelled name before any install hint', async () => {
    const dir = project({
      'plexus-sentiment': { manifest: { main: 'index.js' }, files: { 'index.js': '' } },
      '@plexus/classifier-heuristic': { manifest: { main: 'index.js' }, files: { 'index.js': '' } },
      'left-pad': { manifest: { main: 'index.js' }, files: { 'index.js': '' } },
    });
    expect(await factoryFor(dir, 'plexus-sentimnt/polarity')).toBe(
      'no package named plexus-sentimnt is installed; did you mean plexus-sentiment? (if plexus-sentimnt is the package you want, install it with: npm install plexus-sentimnt)',
    );
    expect(await factoryFor(dir, 'heuristc/keywords')).toBe(
      'no package named heuristc is installed; did you mean heuristic (@plexus/classifier-heuristic)? (if heuristc is the package you want, install it with: npm install heuristc)',
    );
    // A full package name misspelled is offered the installed one (it was told to install the typo).
    expect(await factoryFor(dir, '@plexus/classifer-heuristic/keywords')).toBe(
      'no package named @plexus/classifer-heuristic is installed; did you mean @plexus/classifier-heuristic? (if @plexus/classifer-heuristic is the package you want, install it with: npm install @plexus/classifer-heuristic)',
    );
    // Packages that are not score packages are never offered.
    expect(await factoryFor(dir, 'left-pud/x')).toBe(
      'no package named left-pud is installed; install it with: npm install left-pud',
    );
  });

  it('names the classifier package for a built-in plugin that is not installed', async () => {
    const dir = project({});
    expect(await factoryFor(dir, 'onnx/classifier')).toMatch(
      /^no package named @plexus\/classifier-onnx is installed/,
    );
  });
});

describe('PluginResolver inside a score package', () => {
  it('finds the package a scorecard sits in by its own name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-resolver-self-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'plexus-self',
        type: 'module',
        exports: { '.': { import: './dist/index.js' } },
      }),
    );
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/index.js'), pluginSource('plexus-self'));
    const parsed = parseScoreClass('plexus-self/length') as ParsedClass;
    const found = await new PluginResolver({ searchFrom: [dir] }).factory(parsed);
    expect(typeof found === 'string' ? found : found.kind).toBe('length');
  });
});
