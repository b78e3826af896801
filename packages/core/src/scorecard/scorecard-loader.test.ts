import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { testPlugin } from '../testing/contains-score.js';
import { loadScorecard, parseScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-loader-'));
const file = join(folder, 'card.yaml');

async function problemsOf(source: string): Promise<string[]> {
  try {
    await parseScorecard(source, {
      file,
      displayName: 'card.yaml',
      plugins: [testPlugin],
      cacheDir: folder,
    });
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.message.split('\n').slice(error.problems.length > 1 ? 1 : 0);
    throw error;
  }
  return [];
}

describe('loadScorecard', () => {
  it('loads a valid scorecard with scores in dependency order', async () => {
    const card = await parseScorecard(
      `name: Demo Card
scores:
  - name: Second
    class: test/contains
    word: card
    depends_on: { First: { operator: "==", value: "yes" } }
  - name: First
    class: test/contains
    word: hello
    labels: [yes, no]
`,
      { file, plugins: [testPlugin], cacheDir: folder },
    );
    expect(card.key).toBe('demo-card');
    expect(card.scores.map((score) => score.name)).toEqual(['First', 'Second']);
    expect(card.scores[1]!.dependsOn).toEqual([
      { score: 'First', operator: '==', values: ['yes'] },
    ]);
    expect(card.scores[0]!.score?.specificationVersion).toBe('v1');
    expect(card.scores[0]!.fingerprint).not.toBe(card.scores[1]!.fingerprint);
  });

  it('reports an unknown class, a typo in a setting and a cycle at once, with lines', async () => {
    const problems = await problemsOf(`name: Broken
scores:
  - name: A
    class: test/contans
    word: x
  - name: B
    class: test/contains
    wrd: x
  - name: C
    class: test/contains
    word: x
    depends_on: [D]
  - name: D
    class: test/contains
    word: y
    depends_on: [C]
`);
    expect(problems).toEqual([
      'card.yaml:4:12: scores[0].class: unknown kind "contans" in test; it provides: contains',
      'card.yaml:6:5: scores[1].word: required (string)',
      'card.yaml:8:5: scores[1].wrd: unknown setting "wrd"; did you mean "word"?',
      'card.yaml:12:17: scores[2].depends_on: dependency cycle: C → D → C',
    ]);
  });

  it('says which package to install for a missing plugin', async () => {
    const problems = await problemsOf(
      'name: X\nscores:\n  - name: A\n    class: plexus-scores-nowhere/sentiment\n',
    );
    expect(problems).toEqual([
      'card.yaml:4:12: scores[0].class: no package named plexus-scores-nowhere is installed; install it with: npm install plexus-scores-nowhere',
    ]);
  });

  it('refuses a class that is a path', async () => {
    const problems = await problemsOf(
      'name: X\nscores:\n  - name: A\n    class: ../../evil/kind\n',
    );
    expect(problems[0]).toMatch(/must name an npm package, not a path/);
  });

  it('reports syntax errors, duplicate keys and wrong types with positions', async () => {
    expect(await problemsOf('name: X\nname: Y\nscores: []\n')).toEqual([
      expect.stringMatching(/^card\.yaml:2:1: Map keys must be unique/),
    ]);
    expect(await problemsOf('name: [unclosed\n')).toEqual([
      expect.stringMatching(/^card\.yaml:\d+:\d+: /),
    ]);
    const typed = await problemsOf(
      'name: 5\nscores:\n  - name: A\n    class: test/contains\n    word: 3\n',
    );
    expect(typed).toEqual([
      'card.yaml:1:7: name: 5 is read as a number, not text: write it in quotes: "5"',
      'card.yaml:5:11: scores[0].word: 3 is read as a number, not text: write it in quotes: "3"',
    ]);
  });

  it('stops YAML alias bombs', async () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
name: X
scores: [*e]
`;
    const problems = await problemsOf(bomb);
    expect(problems.join('\n')).toMatch(/alias/i);
  });

  it('checks conditions against the upstream labels and unknown dependencies', async () => {
    const problems = await problemsOf(`name: X
scores:
  - name: A
    class: test/contains
    word: x
  - name: B
    class: test/contains
    word: y
    depends_on: { A: { operator: "==", value: maybe } }
  - name: C
    class: test/contains
    word: z
    depends_on: [Aa]
`);
    expect(problems).toEqual([
      'card.yaml:9:22: scores[1].depends_on.A: "maybe" is not a label of A (yes, no)',
      'card.yaml:13:17: scores[2].depends_on: unknown score "Aa"; did you mean "A"?',
    ]);
  });

  it('reads JSON scorecards from disk', async () => {
    const path = join(folder, 'card.json');
    writeFileSync(
      path,
      JSON.stringify({ name: 'Json', scores: [{ name: 'A', class: 'test/contains', word: 'x' }] }),
    );
    const card = await loadScorecard(path, { plugins: [testPlugin], cacheDir: folder });
    expect(card.scores[0]!.labels).toEqual(['yes', 'no']);
  });
});
