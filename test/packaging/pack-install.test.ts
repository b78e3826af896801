// Packs the published packages with pnpm, installs tarballs with plain npm into fresh projects
// outside the workspace, and uses them the way users do.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { packAll } from '../../scripts/pack-all.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packs = mkdtempSync(join(tmpdir(), 'plexus-packs-'));
let tarballs = new Map<string, string>();
// Run npm as a user would: without the npm_config_* settings pnpm passes to its scripts.
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
);

beforeAll(() => {
  // Every published package, packed as `pnpm pack:all` does (shared with test/newcomer).
  tarballs = packAll(packs);
});

/** A fresh npm project with these packages (and extra registry packages) installed. */
function project(names: readonly string[], extra: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-install-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'user-project', version: '1.0.0', type: 'module', private: true }),
  );
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...names.map((name) => tarballs.get(name)!),
      ...extra,
    ],
    {
      cwd: dir,
      env: userEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return dir;
}

function installed(dir: string): string[] {
  const modules = join(dir, 'node_modules');
  return readdirSync(modules).flatMap((name) =>
    name.startsWith('@')
      ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`)
      : [name],
  );
}

function sizeMb(dir: string): number {
  return (
    Number(
      execFileSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0],
    ) / 1024
  );
}

describe('packages installed one by one with npm', () => {
  it('core + heuristic + cli: npx plexus evaluate, and a typed program with a custom score', () => {
    const dir = project(
      ['core', 'classifier-heuristic', 'mlflow-tracker', 'spark-runner', 'feedback', 'cli'],
      ['typescript@5.9', '@types/node@20'],
    );
    writeFileSync(
      join(dir, 'card.yaml'),
      'name: Greeting check\nscores:\n  - { name: Greeting, class: heuristic/keywords, phrases: [thank you for calling], label_column: greeting }\n',
    );
    writeFileSync(
      join(dir, 'calls.csv'),
      'id,text,greeting\n1,"Agent: Thank you for calling, how can I help?",yes\n2,"Agent: Hello.",no\n',
    );
    const evaluated = spawnSync(
      'npx',
      ['plexus', 'evaluate', 'card.yaml', '--data', 'calls.csv', '--json', '--out', 'run'],
      { cwd: dir, encoding: 'utf8', env: userEnv },
    );
    expect(evaluated.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
    expect(JSON.parse(evaluated.stdout).scores.Greeting).toMatchObject({ n: 2, accuracy: 1 });
    // The feedback store (sql.js, SQLite in WebAssembly) works from a plain npm install.
    writeFileSync(
      join(dir, 'reviews.csv'),
      'item_id,score,label,reviewer,reviewed_at\n1,Greeting,yes,ana,2026-03-01\n1,Greeting,yes,ben,2026-03-02\n',
    );
    const imported = spawnSync('npx', ['plexus', 'feedback', 'import', 'reviews.csv'], {
      cwd: dir,
      encoding: 'utf8',
      env: userEnv,
    });
    expect(imported.stdout).toMatch(/^2 reviews: 2 added/);
    expect(existsSync(join(dir, 'feedback.sqlite'))).toBe(true);

    writeFileSync(
      join(dir, 'program.ts'),
      `import { definePlugin, defineScoreFactory, evaluate, parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { z } from 'zod';

// A custom score: "long" when the text has more than max_words words.
const lengthFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'length',
  settingsSchema: z.object({ max_words: z.number().int().positive() }).strict(),
  create: (settings, env) => ({
    specificationVersion: 'v1',
    kind: 'acme/length',
    name: env.name,
    labels: ['long', 'short'],
    fingerprint: \`length-\${settings.max_words}\`,
    async doScore({ items }): Promise<ScoreOutputV1[]> {
      return items.map((item) => ({ value: item.text.split(/\\s+/).length > settings.max_words ? 'long' : 'short', status: 'ok' }));
    },
  }),
});
const acme = definePlugin({ specificationVersion: 'v1', name: 'acme', factories: [lengthFactory] });
const scorecard = await parseScorecard(
  'name: Program\\nscores:\\n  - { name: Length, class: acme/length, max_words: 3, labels: [long, short] }\\n  - { name: Greeting, class: heuristic/keywords, phrases: [thank you for calling], label_column: greeting }\\n',
  { file: 'program.yaml', plugins: [acme, heuristic] },
);
const summary = await evaluate({ scorecard, data: 'calls.csv', outDir: 'program-run', cache: false });
console.log(JSON.stringify({ status: summary.status, results: summary.results, greeting: summary.scores.Greeting?.accuracy }));
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          skipLibCheck: false,
        },
        files: ['program.ts'],
      }),
    );
    // One compile: it prints nothing when the program type-checks (against the installed .d.ts,
    // skipLibCheck off), and writes out/program.js.
    const compiled = spawnSync('npx', ['tsc', '-p', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: userEnv,
    });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const output = JSON.parse(
      execFileSync(process.execPath, ['out/program.js'], { cwd: dir, encoding: 'utf8' }),
    );
    expect(output).toEqual({ status: 'completed', results: 4, greeting: 1 });
  });

  it('core alone pulls no classifier and no heavy library', () => {
    const dir = project(['core']);
    const names = installed(dir);
    for (const heavy of [
      'onnxruntime-node',
      'openai',
      'ml-random-forest',
      'node-llama-cpp',
      '@huggingface/tokenizers',
      'fuzzball',
      'liquidjs',
      '@plexus/classifier-heuristic',
      '@plexus/classifier-onnx',
      '@plexus/classifier-llm',
      '@plexus/classifier-forest',
      '@plexus/feedback',
      'sql.js',
    ])
      expect(names).not.toContain(heavy);
    expect(names).toContain('@plexus/core');
    expect(sizeMb(dir)).toBeLessThan(15);
  });

  it('classifier-onnx alone says what to install when onnxruntime-node is missing', () => {
    const dir = project(['core', 'classifier-onnx']);
    expect(existsSync(join(dir, 'node_modules/onnxruntime-node'))).toBe(false);
    mkdirSync(join(dir, 'models'));
    copyFileSync(join(root, 'examples/spam/models/spam.onnx'), join(dir, 'models/spam.onnx'));
    writeFileSync(
      join(dir, 'card.yaml'),
      'name: Spam\nscores:\n  - { name: Spam, class: onnx/classifier, labels: [spam, ham], model: models/spam.onnx }\n',
    );
    writeFileSync(
      join(dir, 'load.mjs'),
      "import { loadScorecard } from '@plexus/core';\ntry { await loadScorecard('card.yaml'); console.log('loaded'); } catch (error) { console.log(error.message); }\n",
    );
    const output = execFileSync(process.execPath, ['load.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(output).toMatch(
      /card\.yaml:3:5: .*onnx scores need onnxruntime-node; install it with: npm install onnxruntime-node/,
    );
  });
});
