import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { testPlugin } from '../testing/contains-score.js';
import { aliasesExpandPast } from './alias-expansion.js';
import { loadScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-alias-expansion-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The problems `loadScorecard` reports for a scorecard file, as `path: message`. */
async function problemsOf(name: string, source: string): Promise<string[]> {
  const file = join(folder, name);
  writeFileSync(file, source);
  try {
    await loadScorecard(file, { checkData: false, create: false, plugins: [testPlugin] });
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

const score = (index: number, rest: string) =>
  `  - { name: S${index}, class: test/contains, word: free, labels: [spam, ham]${rest} }`;

describe('aliases in a scorecard', () => {
  it('a long list reused many times is refused at once, not expanded', async () => {
    // 100,000 phrases (a 200 KB file) used 20 times: 2 million values the file does not hold.
    // Before: read as 2 million phrases (a 2 MB file so: 99 million, minutes and 4.5 GB).
    const list = `[${Array.from({ length: 100_000 }, () => 'x').join(',')}]`;
    const lines = ['name: Flat', 'scores:', score(0, `, phrases: &p ${list}`)];
    for (let index = 1; index < 20; index += 1) lines.push(score(index, ', phrases: *p'));
    const started = process.cpuUsage();
    const problems = await problemsOf('flat.yaml', `${lines.join('\n')}\n`);
    const cpu = process.cpuUsage(started);
    expect(problems).toEqual([
      expect.stringContaining(
        'its aliases (*name) repeat more than 1,000,000 values beyond the file',
      ),
    ]);
    // Measured on a shared machine: well under a second of CPU; the bound is loose on purpose.
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(10);
  });

  it('a file of over a million list items is refused before it is parsed', async () => {
    // 1.1 million one-letter phrases in 2.2 MB: the parser took 1.2 GB and seconds on a million.
    const list = `[${Array.from({ length: 1_100_000 }, () => 'x').join(',')}]`;
    const started = process.cpuUsage();
    const problems = await problemsOf(
      'huge.yaml',
      `name: Huge\nscores:\n${score(0, `, phrases: ${list}`)}\n`,
    );
    const cpu = process.cpuUsage(started);
    expect(problems).toEqual([
      ': cannot read the scorecard: it has over 1,000,000 list items and lines (commas and line breaks), more than it may (350,000 keyword phrases fit); split it into several',
    ]);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(2);
  });

  it('a shared label list in 150 scores is read (it was "a resource exhaustion attack")', async () => {
    // Each score's labels are the alias (the yaml library's default refuses past 100 aliases).
    const shared = (index: number, labels: string) =>
      `  - { name: S${index}, class: test/contains, word: free, labels: ${labels} }`;
    const lines = ['name: Many', 'scores:', shared(0, '&yn [spam, ham]')];
    for (let index = 1; index < 150; index += 1) lines.push(shared(index, '*yn'));
    // Read whole: no problem at all (a card refused for another reason proves nothing here).
    expect(await problemsOf('many.yaml', `${lines.join('\n')}\n`)).toEqual([]);
  });

  it('a nested alias bomb and an anchor that contains itself are refused', async () => {
    const bomb = ['name: Bomb', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, inner] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
    ])
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${inner}`).join(', ')}]`);
    bomb.push('scores: []');
    expect((await problemsOf('bomb.yaml', `${bomb.join('\n')}\n`)).join('\n')).toMatch(
      /cannot read the scorecard: its aliases/,
    );
    expect(aliasesExpandPast(JSON.parse('[1, 2]'))).toBe(false);
    const cyclic = await problemsOf(
      'cyclic.yaml',
      `name: C\nscores:\n${score(0, ', phrases: &p [free, *p]')}\n`,
    );
    expect(cyclic).toEqual([expect.stringContaining('repeat more than 1,000,000 values')]);
  });
});
