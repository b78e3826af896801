// scripts/check-architecture.mjs on small monorepos written for each rule: a clean one passes, each
// broken rule fails with exit 1 and a message naming the file, the line and the fix.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const checker = fileURLToPath(new URL('../../scripts/check-architecture.mjs', import.meta.url));

/** A monorepo with core, one classifier and a runner that follow the rules, plus `extra` files. */
function monorepo(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'plexus-architecture-'));
  const files: Record<string, string> = {
    'packages/core/package.json': '{"name": "@plexus/core"}',
    'packages/core/src/index.ts': "export { engine } from './engine.js';\n",
    'packages/core/src/engine.ts':
      "import type { Line } from './line.js';\nexport const engine = (line: Line) => line;\n",
    'packages/core/src/line.ts': 'export interface Line { id: string }\n',
    'packages/classifier-forest/package.json': '{"name": "@plexus/classifier-forest"}',
    'packages/classifier-forest/src/index.ts':
      "import { engine } from '@plexus/core';\nimport { helper } from '@plexus/core/testing';\nexport const plugin = { engine, helper };\nexport const trainForest = () => 1;\n",
    'packages/classifier-forest/src/internal.ts':
      "export const growShard = () => 1;\nexport { plugin } from './index.js';\n",
    'packages/spark-runner/package.json': '{"name": "@plexus/spark-runner"}',
    'packages/spark-runner/src/worker.ts':
      "import { plugin } from '@plexus/classifier-forest';\nimport { growShard } from '@plexus/classifier-forest/internal';\nexport const run = () => [plugin, growShard, import('@plexus/classifier-forest/internal')];\n",
    'packages/cli/package.json': '{"name": "@plexus/cli"}',
    'packages/cli/src/bin.ts':
      "import { trainForest } from '@plexus/classifier-forest';\nimport { run } from '@plexus/spark-runner';\nexport const all = [trainForest, run];\n",
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string) {
  const run = spawnSync(process.execPath, [checker, root], { encoding: 'utf8' });
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  const summary = lines.filter((line) => line.startsWith('check-architecture: '));
  const problems = lines.filter((line) => !line.startsWith('check-architecture: '));
  // One closing line when something is broken, naming how many.
  expect(summary).toEqual(
    problems.length > 0
      ? [
          `check-architecture: ${problems.length} broken rule${problems.length === 1 ? '' : 's'} (see docs/ARCHITECTURE.md)`,
        ]
      : [],
  );
  return { status: run.status, problems };
}

describe('check-architecture', () => {
  it('passes a monorepo that follows the rules (the cli may import anything)', () => {
    const { status, problems } = check(monorepo());
    expect(problems).toEqual([]);
    expect(status).toBe(0);
  });

  it('fails when core imports a plexus package, even only for a type', () => {
    const { status, problems } = check(
      monorepo({
        'packages/core/src/extra.ts':
          "import type { plugin } from '@plexus/classifier-forest';\nexport type P = typeof plugin;\n",
      }),
    );
    expect(status).toBe(1);
    expect(problems).toEqual([
      'packages/core/src/extra.ts:1: core imports @plexus/classifier-forest: core imports no plexus package (the arrows point to core)',
    ]);
  });

  it('fails when a classifier imports another package than core, or reaches into its files', () => {
    const { status, problems } = check(
      monorepo({
        'packages/classifier-llm/package.json': '{"name": "@plexus/classifier-llm"}',
        'packages/classifier-llm/src/index.ts':
          "import { engine } from '@plexus/core';\nexport * from '@plexus/classifier-forest/internal';\nexport { run } from '../../spark-runner/src/worker.js';\nexport const plugin = engine;\n",
      }),
    );
    expect(status).toBe(1);
    expect(problems).toEqual([
      'packages/classifier-llm/src/index.ts:2: @plexus/classifier-llm imports @plexus/classifier-forest/internal: a classifier imports only @plexus/core (classifiers never import each other or the tools)',
      "packages/classifier-llm/src/index.ts:3: ../../spark-runner/src/worker.js reaches into another folder's files; import the package by its name",
    ]);
  });

  it("fails when a runner takes more than `plugin` from a classifier's main entry", () => {
    const { status, problems } = check(
      monorepo({
        'packages/spark-runner/src/train.ts':
          "import { plugin, trainForest } from '@plexus/classifier-forest';\nexport const forest = () => import('@plexus/classifier-forest');\nexport const both = [plugin, trainForest];\n",
      }),
    );
    expect(status).toBe(1);
    expect(problems).toEqual([
      "packages/spark-runner/src/train.ts:1: @plexus/spark-runner imports trainForest from @plexus/classifier-forest: a runner takes only `plugin` from a classifier's main entry; import these from @plexus/classifier-forest/internal",
      "packages/spark-runner/src/train.ts:2: @plexus/spark-runner imports all of @plexus/classifier-forest: a runner takes only `plugin` from a classifier's main entry; import the rest from @plexus/classifier-forest/internal",
    ]);
  });

  it('fails on an import cycle between two files of a package, a type-only edge included', () => {
    const { status, problems } = check(
      monorepo({
        'packages/core/src/line.ts':
          "import type { engine } from './engine.js';\nexport interface Line { id: string; by?: typeof engine }\n",
      }),
    );
    expect(status).toBe(1);
    expect(problems).toEqual([
      'packages/core: import cycle src/engine.ts -> src/line.ts -> src/engine.ts: move what both need into a third file',
    ]);
  });

  it('finds a cycle through a folder index and a longer path', () => {
    const { status, problems } = check(
      monorepo({
        'packages/core/src/sweep/index.ts': "export { trial } from './trial.js';\n",
        'packages/core/src/sweep/trial.ts':
          "import { run } from '../run.js';\nexport const trial = () => run;\n",
        'packages/core/src/run.ts':
          "import { trial } from './sweep';\nexport const run = () => trial;\n",
      }),
    );
    expect(status).toBe(1);
    expect(problems).toEqual([
      'packages/core: import cycle src/run.ts -> src/sweep/index.ts -> src/sweep/trial.ts -> src/run.ts: move what both need into a third file',
    ]);
  });
});
