import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

// Score names that look the same and are not: a combining accent, a zero-width space, Cyrillic е.
const composed = 'Caf\u00e9 Words';
const decomposed = 'Cafe\u0301 Words';
const withZeroWidth = 'Spam\u200b';
const cyrillic = 'Gr\u0435\u0435ting';

function keywords(name: string, phrase: string): string {
  return `  - name: ${JSON.stringify(name)}\n    class: heuristic/keywords\n    phrases: [${phrase}]\n    labels: ["yes", "no"]\n    label_column: label\n`;
}

function project(scores: string): { dir: string; card: string } {
  const dir = workDir('lookalike');
  writeFileSync(
    join(dir, 'd.csv'),
    'id,text,label\n1,free prize,yes\n2,see you,no\n3,claim now,yes\n',
  );
  const card = join(dir, 'card.yaml');
  writeFileSync(card, `name: Look\nkey: look\ndata:\n  path: d.csv\nscores:\n${scores}`);
  return { dir, card };
}

describe('score names that look alike', () => {
  it.each([
    [composed, decomposed, 'character 4 is U+0065 "e"', 'U+00E9 "é"'],
    ['Spam', withZeroWidth, 'character 5 is U+200B', 'nothing in "Spam"'],
    ['Greeting', cyrillic, 'character 3 is U+0435 "е"', 'U+0065 "e"'],
  ])(
    'are refused in one scorecard: %j and %j (exit 2, the place, both characters)',
    async (first, second, said, other) => {
      const { card } = project(keywords(first, 'free') + keywords(second, 'see'));
      const validate = await runCli(['validate', card]);
      expect(validate.code).toBe(2);
      // The second score's name, at its line: scores start at line 6, five lines each.
      expect(validate.stderr).toContain(`card.yaml:11:`);
      expect(validate.stderr).toContain('scores[1].name');
      expect(validate.stderr).toContain(said);
      expect(validate.stderr).toContain(other);
      expect(validate.stderr).not.toMatch(/\n\s+at /); // no stack
      const run = await runCli(['evaluate', card, '--no-cache', '--out', join(card, '..', 'run')]);
      expect(run.code).toBe(2);
    },
  );

  it('names the differing character when depends_on or a rule names a lookalike of a score', async () => {
    const logic = (dependsOn: string, read: string) =>
      `  - name: L\n    class: heuristic/logic\n    depends_on: [${JSON.stringify(dependsOn)}]\n    rules:\n      - when: results[${JSON.stringify(read)}] == "yes"\n        label: "yes"\n    otherwise: "no"\n`;
    const unknown = project(keywords('Greeting', 'free') + logic(cyrillic, 'Greeting'));
    const first = await runCli(['validate', unknown.card]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(`unknown score "${cyrillic}"; did you mean "Greeting"?`);
    expect(first.stderr).toContain('character 3 is U+0435 "е"');

    const rule = project(keywords('Greeting', 'free') + logic('Greeting', cyrillic));
    const second = await runCli(['validate', rule.card]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('character 3 is U+0435 "е"');
    // It said to add the lookalike to depends_on, which then was an unknown score.
    expect(second.stderr).not.toContain(`add "${cyrillic}" to depends_on`);
  });

  it('names the differing character for --score given a lookalike', async () => {
    const { card } = project(keywords(decomposed, 'free'));
    const predict = await runCli(['predict', card, '--text', 'free', '--score', composed]);
    expect(predict.code).toBe(2);
    expect(predict.stderr).toContain(`did you mean "${decomposed}"?`);
    expect(predict.stderr).toContain('character 4 is U+00E9 "é"');
  });

  it('labels: two that look the same are refused, and gold labels are told the lookalike they differ from', async () => {
    const latin = 'spam';
    const cyrillicA = 'sp\u0430m';
    const both = project(
      `  - name: S\n    class: heuristic/keywords\n    phrases: [free]\n    labels: [${latin}, ${cyrillicA}, ham]\n    label_column: label\n`,
    );
    const twice = await runCli(['validate', both.card]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('scores[0].labels[1]');
    expect(twice.stderr).toContain('character 3 is U+0430 "а"');

    // The gold column says spam (Latin a), the score's label is the Cyrillic one.
    const gold = project(
      `  - name: S\n    class: heuristic/keywords\n    phrases: [free]\n    labels: [${cyrillicA}, ham]\n    label_column: label\n`,
    );
    writeFileSync(
      join(gold.dir, 'd.csv'),
      'id,text,label\n1,free prize,spam\n2,see you,ham\n3,free lunch,spam\n',
    );
    const stray = await runCli(['validate', gold.card]);
    expect(stray.code).toBe(2);
    // By hand: two rows are spam.
    expect(stray.stderr).toContain(
      `"spam" ×2; did you mean "${cyrillicA}"? (they look alike but character 3 is U+0061 "a" in "spam", U+0430 "а" in "${cyrillicA}")`,
    );
  });
});
