import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scorecardJsonSchema } from '@plexus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, tableNames } from './readme-snippets.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = codeBlocks(readme);
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');

// Scorecard snippets name their file on the first line (`# examples/spam/my-spam.yaml`).
const scorecards = blocks
  .filter((block) => block.language === 'yaml')
  .map((block) => ({ ...block, file: /^# (\S+\.yaml)$/m.exec(block.code.split('\n')[0]!)?.[1] }));
const written: string[] = [];

beforeAll(() => {
  execFileSync(join(root, 'scripts/fetch-gemma.sh'), [join(root, '.cache/models/gemma')]);
  for (const card of scorecards) {
    if (!card.file) continue;
    writeFileSync(join(root, card.file), `${card.code}\n`);
    written.push(join(root, card.file));
  }
});

afterAll(() => {
  for (const file of written) rmSync(file, { force: true });
  rmSync(join(root, 'examples/spam/runs'), { recursive: true, force: true });
});

describe('README snippets', () => {
  it('names the file of every whole scorecard, and each one validates', () => {
    const whole = scorecards.filter((card) => /^name:/m.test(card.code));
    expect(whole.length).toBeGreaterThanOrEqual(2);
    for (const card of whole) {
      expect(card.file, `README.md:${card.line}: first line "# path/to/file.yaml"`).toBeDefined();
      const result = spawnSync(process.execPath, [cli, 'validate', join(root, card.file!)], {
        cwd: dirname(join(root, card.file!)),
        encoding: 'utf8',
      });
      // Warnings (a score without a gold column is announced as unlabeled) are not problems.
      const problems = result.stderr
        .split('\n')
        .filter((line) => line && !line.includes(': warning: '));
      expect(problems, `README.md:${card.line}`).toEqual([]);
      expect(result.status).toBe(0);
    }
  });

  it('runs every command block marked "run in DIR", as written', () => {
    const runnable = blocks.filter((block) => block.note?.startsWith('run in '));
    expect(runnable.length).toBeGreaterThan(0);
    for (const block of runnable) {
      const cwd = join(root, block.note!.slice('run in '.length));
      for (const command of block.code.split('\n').filter((line) => line.trim() !== '')) {
        // As written: `npx plexus` must find the command the workspace install linked.
        const result = spawnSync('bash', ['-c', command], {
          cwd,
          encoding: 'utf8',
          env: { ...process.env, npm_config_offline: 'true' },
        });
        expect(result.status, `README.md:${block.line}: ${command}\n${result.stderr}`).toBe(0);
        if (command.includes(' evaluate ')) {
          expect(result.stdout).toMatch(/Spam Words .*\n[\s\S]*Spam LLM /);
          expect(result.stdout).toMatch(/Models: Spam LLM: llama-cpp gemma-3-270m-q4_k_m\.gguf/);
          expect(result.stdout).toMatch(/20 items, 40 results, 0 errors/);
        }
      }
    }
  });

  it('says for every shell block whether and where it runs', () => {
    for (const block of blocks.filter((entry) => entry.language === 'sh'))
      expect(block.note, `README.md:${block.line}`).toMatch(/^(run in \S+|not run here: .+)$/);
  });
});

describe('README command reference', () => {
  const commands = [
    'init',
    'validate',
    'evaluate',
    'predict',
    'train',
    'mlflow sync',
    'mlflow register',
    'mlflow alias',
    'spark submit',
    'spark train',
    'cache stats',
    'cache compact',
    'cache prune',
    'report',
    'compare',
    'runs',
    'view',
    'feedback import',
    'feedback export',
    'feedback agreement',
    'review queue',
    'calibrate',
  ];

  it('lists every flag of every command, as --help gives them', () => {
    const rows = readme.split('\n').filter((line) => line.startsWith('| `plexus '));
    for (const command of commands) {
      const help = execFileSync(process.execPath, [cli, ...command.split(' '), '--help'], {
        encoding: 'utf8',
      });
      const flags = [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)]
        .map((match) => match[1]!)
        .filter((flag) => flag !== '--help');
      // A command may have several rows (plexus train and its --sweep form).
      const row = rows.filter((line) => line.startsWith(`| \`plexus ${command} `)).join('\n');
      expect(row, `a README row for plexus ${command}`).not.toBe('');
      for (const flag of flags) expect(row, `plexus ${command} ${flag}`).toContain(flag);
    }
  });
});

describe('README scorecard reference', () => {
  type Node = { properties?: Record<string, Node>; items?: Node; anyOf?: Node[]; oneOf?: Node[] };
  const schema = scorecardJsonSchema() as Node;
  const keys = (node: Node | undefined) => Object.keys(node?.properties ?? {}).sort();
  const score = schema.properties!.scores!.items!;
  const dependsOn = score.properties!.depends_on!.anyOf!.find(
    (option) => (option as { additionalProperties?: Node }).additionalProperties,
  ) as { additionalProperties: Node };
  const processors = schema.properties!.processors!.items!.oneOf!;

  it('lists exactly the fields of the schema', () => {
    expect(tableNames(readme, 'Scorecard:').sort()).toEqual(keys(schema));
    expect(tableNames(readme, '`data`:').sort()).toEqual(keys(schema.properties!.data));
    expect(tableNames(readme, 'Every score:').sort()).toEqual(keys(score));
    expect(tableNames(readme, '`depends_on` conditions (`{ Score: { ... } }`):').sort()).toEqual(
      keys(dependsOn.additionalProperties),
    );
  });

  it('lists every processor with settings that exist', () => {
    const documented = tableNames(readme, 'Processors (`{ type: ..., ... }`):');
    const byType = new Map(
      processors.map((option) => [
        (option.properties!.type as { const: string }).const,
        keys(option),
      ]),
    );
    expect(documented.sort()).toEqual([...byType.keys()].sort());
    for (const line of readme.split('\n').filter((row) => /^\| `(\w+)` \| `/.test(row))) {
      const type = /^\| `(\w+)`/.exec(line)![1]!;
      if (!byType.has(type)) continue;
      for (const setting of line.matchAll(/`(\w+): /g))
        expect(byType.get(type), `${type}: ${setting[1]}`).toContain(setting[1]);
    }
  });
});
