import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { testPlugin } from '../testing/contains-score.js';
import { parseScorecard } from './scorecard-loader.js';

async function problemsOf(source: string): Promise<string[]> {
  try {
    await parseScorecard(source, {
      file: 'card.yaml',
      displayName: 'card.yaml',
      plugins: [testPlugin],
    });
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map((problem) => problem.message);
    throw error;
  }
  return [];
}

const score =
  'scores:\n  - name: A\n    class: test/contains\n    labels: [yes, no]\n    word: x\n';

describe('an unknown key is offered the keys of where it is', () => {
  it("under data: data's keys (it was offered name, key, description, data, processors, scores)", async () => {
    expect(
      await problemsOf(`name: X\ndata:\n  path: d.csv\n  label_column: label\n${score}`),
    ).toEqual(['unknown setting "label_column"; known: path, format, id_column, text_column']);
    expect(await problemsOf(`name: X\ndata:\n  txt_column: t\n${score}`)).toEqual([
      'unknown setting "txt_column"; did you mean "text_column"?',
    ]);
  });

  it('at the top: the top-level keys', async () => {
    expect(await problemsOf(`name: X\nlabel_column: l\n${score}`)).toEqual([
      'unknown setting "label_column"; known: name, key, description, data, processors, scores',
    ]);
  });
});
