import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// `plexus --version` said '0.1.0', written in the code, whatever version was installed; the
// custom-score template asked for ^0.1.0 of core, which npm refuses beside core 0.2.0.
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

it("--version prints the CLI package's version", async () => {
  const result = await runMain(['--version']);
  expect(result.stdout.trim()).toBe(manifest.version);
  // The built CLI beside a package.json of another version (as after a release) says that one.
  const copy = mkdtempSync(join(tmpdir(), 'plexus-version-'));
  const here = new URL('..', import.meta.url);
  cpSync(new URL('dist', here), join(copy, 'dist'), { recursive: true });
  symlinkSync(fileURLToPath(new URL('node_modules', here)), join(copy, 'node_modules'));
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version: '9.8.7' }));
  const printed = execFileSync(process.execPath, [join(copy, 'dist/bin.js'), '--version']);
  expect(printed.toString().trim()).toBe('9.8.7');
});

it("init's custom-score package asks for any core below 1.0 and this CLI's version to develop", async () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'plexus-init-version-')), 'score');
  expect((await runMain(['init', folder, '--template', 'custom-score'])).code).toBe(0);
  const written = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  expect(written.peerDependencies['@plexus/core']).toBe('>=0.1.0 <1.0.0');
  expect(written.devDependencies['@plexus/core']).toBe(`^${manifest.version}`);
  expect(written.devDependencies['@plexus/cli']).toBe(`^${manifest.version}`);
});
