import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { loadScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-hostile-yaml-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The problems `loadScorecard` reports for a scorecard file, as `line:column: path: message`. */
async function problemsOf(name: string, source: string): Promise<string[]> {
  const file = join(folder, name);
  writeFileSync(file, source);
  try {
    await loadScorecard(file, { checkData: false, create: false });
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map(
        (problem) => `${problem.line}:${problem.column}: ${problem.path}: ${problem.message}`,
      );
    throw error;
  }
  return [];
}

describe('scorecards as an attacker or a YAML 1.1 habit writes them', () => {
  it('a merge key `<<` is named, not only the settings it failed to bring', async () => {
    const problems = await problemsOf(
      'merge.yaml',
      `name: M
scores:
  - &first
    name: A
    class: heuristic/keywords
    phrases: [free]
  - <<: *first
    name: B
`,
    );
    // Before: only "scores[1].class: required (string)", with the class written two lines up.
    expect(
      problems.some((problem) => problem.includes('`<<` (a YAML 1.1 merge key) is not read')),
    ).toBe(true);
    expect(problems.find((problem) => problem.includes('`<<`'))).toMatch(/^7:5: scores\[1\]/);
  });

  it.each([
    ['flow lists', `name: x\nscores: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`],
    [
      'block lists',
      `name: x\nscores:\n${Array.from({ length: 3000 }, (_, depth) => `${'  '.repeat(depth)}- \n`).join('')}`,
    ],
  ])(
    '%s nested thousands deep are a plain problem, not the engine stack message',
    async (_kind, source) => {
      const problems = await problemsOf('deep.yaml', source);
      expect(problems.join('\n')).toContain('nested too deeply to read');
      expect(problems.join('\n')).not.toContain('Maximum call stack');
    },
  );
});
