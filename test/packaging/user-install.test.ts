// A user outside the monorepo: the packed tarballs as the registry would serve them, installed
// with plain npm one classifier at a time, a scorecard run from ESM and CommonJS, the `plexus` bin
// from node_modules/.bin, and a score package of the user's own (written as the README's "Writing
// a score package" says) installed from its tarball. Third-party packages come from npm's cache,
// else the registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll } from '../../scripts/pack-all.mjs';
import {
  freshProject,
  importedPackages,
  inRange,
  type Manifest,
  manifestTargets,
  npmInstall,
  removeTemporaryFolders,
  run,
  siblingUrls,
  temporaryFolder,
  type Unpacked,
  unpack,
  userScorePackage,
  writeFiles,
} from './user-project.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Folder name under packages/ → the tarball, unpacked. */
const packed = new Map<string, Unpacked>();
const tarball = (name: string) => packed.get(name)!.tarball;
/**
 * spark-runner's worker bundles hold core and the classifiers (shipped alone to Spark executors);
 * the native addons stay outside (its tsup.config.ts) and are shipped beside them.
 */
const bundleExternals = ['onnxruntime-node', 'node-llama-cpp', 'playwright-core'];
const bundles = new Set(['dist/worker.mjs', 'dist/train-worker.mjs']);

beforeAll(() => {
  for (const [name, file] of packAll(temporaryFolder('plexus-user-packs-')))
    packed.set(name, unpack(file));
});
afterAll(removeTemporaryFolders);

const greeting = {
  'card.yaml':
    'name: Greeting check\nscores:\n  - { name: Greeting, class: heuristic/keywords, phrases: [thank you for calling], label_column: greeting }\n',
  'calls.csv':
    'id,text,greeting\n1,"Agent: Thank you for calling, how can I help?",yes\n2,"Agent: Hello.",no\n3,"thank you for calling Acme",yes\n',
};

describe('the packed tarballs', () => {
  it('hold every file their manifest points at, no workspace: range and no stray file', () => {
    for (const { manifest, files } of packed.values()) {
      expect(JSON.stringify(manifest), manifest.name).not.toContain('workspace:');
      const missing = manifestTargets(manifest).filter((target) => !files.includes(target));
      expect(missing, `${manifest.name}: exports/main/types/bin`).toEqual([]);
      const stray = files.filter((file) =>
        /__pycache__|\.pyc$|^dist\/.*\.test\.|\.tsbuildinfo$/.test(file),
      );
      expect(stray, manifest.name).toEqual([]);
      expect(manifest.types, `${manifest.name}: types for moduleResolution node10`).toBeDefined();
    }
  });

  it('import only their dependencies and peers, and load only files they ship', () => {
    for (const { manifest, dir, files } of packed.values()) {
      const declared = new Set([
        manifest.name,
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      for (const file of files.filter((f) => /\.(m?js|d\.ts)$/.test(f))) {
        const text = readFileSync(join(dir, file), 'utf8');
        const allowed = (name: string) =>
          declared.has(name) || (bundles.has(file) && bundleExternals.includes(name));
        const undeclared = [...importedPackages(text)].filter((name) => !allowed(name));
        expect(undeclared, `${manifest.name} ${file}: not a dependency or peer`).toEqual([]);
        const folder = file.split('/').slice(0, -1).join('/');
        const absent = siblingUrls(text).filter(
          (url) => !files.includes(join(folder, url).replaceAll('\\', '/')),
        );
        expect(absent, `${manifest.name} ${file}: new URL(..., import.meta.url)`).toEqual([]);
      }
    }
  });

  it('ask for versions of each other that the packed versions satisfy', () => {
    const versions = new Map(
      [...packed.values()].map(({ manifest }) => [manifest.name, manifest.version]),
    );
    for (const { manifest } of packed.values())
      for (const [name, range] of Object.entries({
        ...manifest.dependencies,
        ...manifest.peerDependencies,
      }))
        if (versions.has(name))
          expect(
            inRange(versions.get(name)!, range),
            `${manifest.name} wants ${name}@${range}`,
          ).toBe(true);
    // Score packages take core as a peer over every 0.x release: the example users copy too.
    const example = JSON.parse(
      readFileSync(join(root, 'examples/custom-score/package.json'), 'utf8'),
    ) as Manifest;
    const peers = [...packed.values(), { manifest: example }]
      .map(({ manifest }) => manifest.peerDependencies?.['@plexus/core'])
      .filter((range) => range !== undefined);
    expect(new Set(peers)).toEqual(new Set(['>=0.1.0 <1.0.0']));
  });
});

describe('installed with npm, one classifier at a time', () => {
  it('core + classifier-heuristic: a scorecard from ESM and from CommonJS', () => {
    const dir = freshProject();
    npmInstall(dir, [tarball('core'), tarball('classifier-heuristic')]);
    writeFiles(dir, {
      ...greeting,
      // The class is found by its package name: no plugin passed.
      'esm.mjs': `import { loadScorecard, evaluate } from '@plexus/core';
const scorecard = await loadScorecard('card.yaml');
const summary = await evaluate({ scorecard, data: 'calls.csv', outDir: 'run-esm', cache: false });
console.log(JSON.stringify({ status: summary.status, results: summary.results, accuracy: summary.scores.Greeting.accuracy }));
`,
      'cjs.cjs': `const { loadScorecard, evaluate } = require('@plexus/core');
const { plugin } = require('@plexus/classifier-heuristic');
loadScorecard('card.yaml', { plugins: [plugin] })
  .then((scorecard) => evaluate({ scorecard, data: 'calls.csv', outDir: 'run-cjs', cache: false }))
  .then((summary) => console.log(JSON.stringify({ status: summary.status, results: summary.results, accuracy: summary.scores.Greeting.accuracy })));
`,
    });
    for (const program of ['esm.mjs', 'cjs.cjs']) {
      const ran = run(dir, process.execPath, [program]);
      expect(ran.stderr, program).toBe('');
      expect(JSON.parse(ran.stdout)).toEqual({ status: 'completed', results: 3, accuracy: 1 });
    }
  });

  it('core + classifier-llm: a scorecard against the bundled test server', () => {
    const dir = freshProject();
    npmInstall(dir, [tarball('core'), tarball('classifier-llm')]);
    writeFiles(dir, {
      'sms.csv':
        'id,text,label\n1,"WIN a free prize",spam\n2,"see you at five",ham\n3,"free entry, txt WIN",spam\n',
      'llm.mjs': `import { startTestServer } from '@plexus/classifier-llm/testing';
import { parseScorecard, evaluate } from '@plexus/core';
const server = await startTestServer({ decide: ({ labels, text }) => (/free|win/i.test(text.split('Labels:')[0]) ? labels[0] : labels[1]) });
const scorecard = await parseScorecard(
  'name: Spam\\nscores:\\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], label_column: label, model: gpt-4o-mini, base_url: "' + server.url + '", prompt: "Spam?\\\\n{{ text }}" }\\n',
  { file: 'card.yaml' },
);
const summary = await evaluate({ scorecard, data: 'sms.csv', outDir: 'run', cache: false });
await server.close();
console.log(JSON.stringify({ status: summary.status, accuracy: summary.scores.Spam.accuracy, calls: summary.llmCalls, requests: server.stats.requests }));
`,
    });
    const ran = run(dir, process.execPath, ['llm.mjs']);
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual({
      status: 'completed',
      accuracy: 1,
      calls: 3,
      requests: 3,
    });
  });

  it('core + classifier-forest: trained and evaluated from the API', () => {
    const dir = freshProject();
    npmInstall(dir, [tarball('core'), tarball('classifier-forest')]);
    const rows = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => {
        const id = from + index;
        return id % 2 === 0 ? `${id},win a free prize now,spam` : `${id},see you at lunch,ham`;
      }).join('\n');
    writeFiles(dir, {
      'train.csv': `id,text,label\n${rows(0, 20)}\n`,
      'new.csv': `id,text,label\n${rows(100, 4)}\n`,
      'card.yaml':
        'name: Spam\nscores:\n  - { name: Spam, class: forest/random-forest, labels: [spam, ham], label_column: label, model: spam.forest.json, trees: 5 }\n',
      'forest.mjs': `import { loadScorecard, train, evaluate } from '@plexus/core';
const trained = await train({ scorecard: await loadScorecard('card.yaml', { create: false }), data: 'train.csv', testFraction: 0 });
const summary = await evaluate({ scorecard: await loadScorecard('card.yaml'), data: 'new.csv', outDir: 'run', cache: false });
console.log(JSON.stringify({ models: trained.length, status: summary.status, n: summary.scores.Spam.n, accuracy: summary.scores.Spam.accuracy }));
`,
    });
    const ran = run(dir, process.execPath, ['forest.mjs']);
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual({ models: 1, status: 'completed', n: 4, accuracy: 1 });
  });
});

describe('the CLI installed with npm', () => {
  it('runs from node_modules/.bin, names the package a class needs, and loads a user score package', () => {
    const dir = freshProject();
    npmInstall(dir, ['cli', 'core', 'feedback', 'mlflow-tracker', 'spark-runner'].map(tarball));
    const plexus = join(dir, 'node_modules/.bin/plexus');
    const version = run(dir, plexus, ['--version']);
    expect(version.stdout.trim()).toBe(packed.get('cli')!.manifest.version);

    writeFiles(dir, {
      'calls.csv':
        'id,text,greeting,length\n1,"Agent: Thank you for calling, how can I help you today?",yes,long\n2,"Agent: Hello.",no,short\n',
      'card.yaml': `${greeting['card.yaml']}  - { name: Length, class: plexus-score-length/length, labels: [long, short], max_words: 5, label_column: length }\n`,
    });
    const missing = run(dir, plexus, ['validate', 'card.yaml', '--data', 'calls.csv']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      'no package named @plexus/classifier-heuristic is installed; install it with: npm install @plexus/classifier-heuristic',
    );
    expect(missing.stderr).toContain('no package named plexus-score-length is installed');

    npmInstall(dir, [tarball('classifier-heuristic'), userScorePackage()]);
    const evaluated = run(dir, plexus, [
      'evaluate',
      'card.yaml',
      '--data',
      'calls.csv',
      '--json',
      '--out',
      'run',
    ]);
    expect(evaluated.stderr).toBe('');
    const scores = JSON.parse(evaluated.stdout).scores;
    expect(scores.Greeting).toMatchObject({ n: 2, accuracy: 1 });
    expect(scores.Length).toMatchObject({ n: 2, accuracy: 1 });
  });
});

describe('TypeScript, strict, against the installed types', () => {
  // skipLibCheck on (tsc --init's default; off it took 6.2 CPU s instead of 1.4): a .d.ts import
  // that does not resolve then reads as any, which typed() refuses. pack-install.test.ts compiles
  // core and the heuristic with skipLibCheck off.
  it('types every public entry a user imports (no any)', () => {
    const dir = freshProject();
    npmInstall(dir, [
      ...['core', 'classifier-heuristic', 'classifier-forest', 'classifier-llm'].map(tarball),
      userScorePackage(),
      'typescript@5.9',
      '@types/node@20',
    ]);
    writeFiles(dir, {
      'user.mts': `import { evaluate, loadScorecard, type RunSummary } from '@plexus/core';
import { describeScoreConformance } from '@plexus/core/testing';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as forest } from '@plexus/classifier-forest';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { plugin as length } from 'plexus-score-length';

type IsAny<T> = 0 extends 1 & T ? true : false;
/** Compiles only when the value's type is not any. */
function typed<T>(value: IsAny<T> extends true ? never : T): T {
  return value;
}
for (const plugin of [heuristic, forest, llm, length]) typed(plugin);
typed(describeScoreConformance);
const scorecard = typed(await loadScorecard('card.yaml', { plugins: [heuristic, forest, llm, length] }));
const summary: RunSummary = typed(await evaluate({ scorecard, data: 'calls.csv', outDir: 'run' }));
typed(summary.scores['Greeting']?.accuracy);
const server = typed(await startTestServer({ decide: ({ labels }) => labels[0] ?? 'none' }));
typed(server.stats.requests);
typed(server.url);
`,
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['user.mts'],
      }),
    });
    const compiled = run(dir, join(dir, 'node_modules/.bin/tsc'), ['-p', '.']);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });
});
