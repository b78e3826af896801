import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ConfigProblem, formatProblem, InvalidConfigError } from '../common/errors.js';
import { testPlugin } from '../testing/contains-score.js';
import { parseScorecard } from './scorecard-loader.js';

// Four Harper Valley Bank calls (Apache-2.0, see test-data/hvb/LICENSE-NOTE.md): Agent and Caller.
const calls = fileURLToPath(new URL('../../test-data/hvb/calls.jsonl', import.meta.url));

async function check(source: string): Promise<{ problems: string[]; warnings: string[] }> {
  const warnings: ConfigProblem[] = [];
  try {
    await parseScorecard(source, {
      file: '/tmp/speakers.yaml',
      displayName: 'card.yaml',
      plugins: [testPlugin],
      checkData: calls,
      create: false,
      onWarning: (warning) => warnings.push(warning),
    });
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    return { problems: error.problems.map(formatProblem), warnings: warnings.map(formatProblem) };
  }
  return { problems: [], warnings: warnings.map(formatProblem) };
}

const score = (processors: string) => `name: S
scores:
  - name: Card
    class: test/contains
    word: card
    processors: ${processors}
`;

describe('speakers a processor names, against the transcripts', () => {
  it('refuses a speaker no transcript has (every item would reach the score with no text)', async () => {
    const { problems } = await check(score('[{ type: speaker, speakers: [Customer] }]'));
    expect(problems).toEqual([
      'card.yaml:6:45: scores[0].processors[0].speakers: "Customer" speaks in none of the first 4 items (their speakers: agent (4), caller (4)): this processor would keep no text of any item. Name the speakers as the transcripts write them',
    ]);
  });

  it("warns of one name among others that speaks in none, and takes the transcripts' spelling", async () => {
    const { problems, warnings } = await check(
      score('[{ type: window, keywords: [card], speakers: ["Caller:", Bot] }]'),
    );
    expect(problems).toEqual([]);
    expect(warnings.filter((warning) => warning.includes('speakers'))).toEqual([
      'card.yaml:6:62: scores[0].processors[0].speakers: "Bot" speaks in none of the first 4 items (their speakers: agent (4), caller (4))',
    ]);
  });

  it("checks the scorecard's own processors too", async () => {
    const source = `name: S\nprocessors: [{ type: speaker, speakers: [Customer] }]\nscores:\n  - { name: Card, class: test/contains, word: card }\n`;
    const { problems } = await check(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'processors[0].speakers: "Customer" speaks in none of the first 4',
    );
  });
});
