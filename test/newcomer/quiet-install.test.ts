// `pnpm install` and npm stay quiet: every installed package with an install script is either
// allowed to run it or skipped on purpose in pnpm-workspace.yaml (so pnpm has no "Ignored build
// scripts" warning to print), and npm finds no configuration key it does not know.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workspace = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');

/** The names listed under a top-level key of pnpm-workspace.yaml (`  - name # why`). */
function listed(key: string): string[] {
  const lines = workspace.split('\n');
  const start = lines.indexOf(`${key}:`);
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const name = /^\s+-\s+"?([^"#\s]+)"?/.exec(line)?.[1];
    if (name) names.push(name);
  }
  return names;
}

/** Installed packages (pnpm's store folder) whose package.json has an install-time script. */
function packagesWithInstallScripts(): string[] {
  const store = join(root, 'node_modules/.pnpm');
  const found = new Set<string>();
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules)) continue;
    // The folder is named after its package: `name@version`, `@scope+name@version`, and
    // `name@version_peer@version` when peers are part of it.
    const name = /^(@[^+]+\+)?[^@]+/.exec(entry)![0].replace('+', '/');
    const manifestPath = join(modules, name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const scripts = manifest.scripts ?? {};
    const gyp = existsSync(join(modules, name, 'binding.gyp'));
    if (scripts.preinstall || scripts.install || scripts.postinstall || gyp) found.add(name);
  }
  return [...found].sort();
}

describe('a quiet install', () => {
  it('lists every package with an install script as built or skipped in pnpm-workspace.yaml', () => {
    const decided = new Set([
      ...listed('onlyBuiltDependencies'),
      ...listed('ignoredBuiltDependencies'),
    ]);
    const withScripts = packagesWithInstallScripts();
    // The scan finds what it should (node-llama-cpp's folder has a peer suffix).
    expect(withScripts).toEqual(
      expect.arrayContaining(['esbuild', 'node-llama-cpp', 'onnxruntime-node']),
    );
    expect(withScripts.filter((name) => !decided.has(name))).toEqual([]);
  });

  it("skips onnxruntime-node's install script on purpose, and says why", () => {
    expect(listed('ignoredBuiltDependencies')).toContain('onnxruntime-node');
    expect(workspace).toMatch(/Skipped on purpose\. Its postinstall only downloads the CUDA/);
  });

  it('gives npm no configuration key it does not know', () => {
    const userEnv = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
    );
    const result = spawnSync('npm', ['config', 'get', 'registry'], {
      cwd: root,
      env: userEnv,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
