import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { evaluate } from '../run/evaluate.js';
import { testPlugin } from '../testing/contains-score.js';
import { findPackage } from './package-lookup.js';
import { loadScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-processor-packages-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// A folder beside the scorecard's node_modules with code that leaves a mark when it is imported.
const marker = join(folder, 'imported.txt');
mkdirSync(join(folder, 'evil'));
writeFileSync(
  join(folder, 'evil', 'package.json'),
  '{"name":"evil","type":"module","main":"index.js"}',
);
writeFileSync(
  join(folder, 'evil', 'index.js'),
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport function createEmbedder() { return { embed: async (texts) => texts.map(() => [1]) }; }\n`,
);
mkdirSync(join(folder, 'node_modules'));
writeFileSync(join(folder, 'data.csv'), 'id,text,label\n1,free cash,spam\n2,hi mum,ham\n');

function card(processors: string, scoreProcessors = ''): string {
  const file = join(folder, 'card.yaml');
  writeFileSync(
    file,
    `name: P\n${processors}scores:\n  - name: Free\n    class: test/contains\n    word: free\n    labels: [spam, ham]\n    label_column: label\n${scoreProcessors}`,
  );
  return file;
}

async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadScorecard(file, { plugins: [testPlugin], cacheDir: folder });
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map(
        (problem) => `${problem.line}: ${problem.path}: ${problem.message}`,
      );
    throw error;
  }
  return [];
}

const semantic = (package_: string, model = 'm.onnx') =>
  `{ type: semantic, queries: [cash], top_k: 1, model: ${model}, tokenizer: t.json, package: "${package_}" }`;

describe("processors' packages and files, checked at load", () => {
  it('a semantic processor `package:` that is a path is refused, never imported', async () => {
    for (const name of ['../evil', '../../x/evil', '/abs/evil', 'file:///x/evil.js']) {
      // Before: `node_modules/../evil` was found and imported at the first item: its code ran.
      expect(findPackage(name, [folder])).toBeUndefined();
      const problems = await problemsOf(card(`processors:\n  - ${semantic(name)}\n`));
      expect(problems).toContain(
        `3: processors[0].package: package "${name}" must name an npm package (e.g. @plexus/classifier-onnx), not a path`,
      );
      const own = await problemsOf(card('', `    processors:\n      - ${semantic(name)}\n`));
      // Said once: not also "not installed ... npm install ../evil".
      expect(own.filter((problem) => problem.includes('processors[0].package'))).toEqual([
        `9: scores[0].processors[0].package: package "${name}" must name an npm package (e.g. @plexus/classifier-onnx), not a path`,
      ]);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("the scorecard's own semantic processor with a missing model or package fails at load, not on every item", async () => {
    const file = card(`processors:\n  - ${semantic('no-such-embedder')}\n`);
    const problems = await problemsOf(file);
    // Before: a valid scorecard, then every item an error `processor_failed`.
    expect(
      problems.some((problem) =>
        problem.startsWith('3: processors[0].package: package no-such-embedder is not installed'),
      ),
    ).toBe(true);
    expect(problems.some((problem) => problem.startsWith('3: processors[0].model:'))).toBe(true);
    await expect(
      (async () =>
        evaluate({
          scorecard: await loadScorecard(file, { plugins: [testPlugin], cacheDir: folder }),
          data: join(folder, 'data.csv'),
          outDir: join(folder, 'run'),
        }))(),
    ).rejects.toThrow(InvalidConfigError);
  });
});
