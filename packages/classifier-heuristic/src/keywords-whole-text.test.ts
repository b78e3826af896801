import { parseScorecard, type ScoreItemV1, type ScoreOutputV1, seededRandom } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

async function outputsOf(score: string, items: ScoreItemV1[]): Promise<ScoreOutputV1[]> {
  const card = await parseScorecard(`name: T\nscores:\n  - ${score}\n`, {
    file: '/tmp/keywords-whole-text.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  return card.scores[0]!.score!.doScore({
    items,
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
}

const pieces = [
  'Agent: ',
  'Caller: ',
  'Customer:',
  'Agent:card',
  'intro ',
  'debit',
  ' card',
  'Card',
  'cards',
  'debit\r\ncard',
  'x_card',
  ' credit card',
  '\n',
  '\r\n',
  ' ',
];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

describe('heuristic/keywords, a phrase looked for in the whole text first', () => {
  it('finds what a search turn by turn finds, on 2,000 random transcripts', async () => {
    const random = seededRandom(9);
    const items: ScoreItemV1[] = [];
    for (let sample = 0; sample < 2_000; sample += 1) {
      let text = '';
      for (let index = Math.floor(random() * 12); index > 0; index -= 1)
        text += pick(random, pieces);
      const metadata =
        random() < 0.3 ? { segments: [{ speaker: 'Caller', text: 'my debit card' }] } : {};
      items.push({ id: String(sample), text, metadata, results: {} });
    }
    for (const options of [
      'speaker: caller',
      'speaker: agent, whole_word: false',
      'speaker: caller, case_sensitive: true',
      'speaker: any, last_turns: 2',
      'speaker: caller, match: all',
      'speaker: caller, negation: { window: 2, words: [intro] }',
    ]) {
      const phrases = 'phrases: [card, debit card, credit card]';
      const searched = await outputsOf(
        `{ name: K, class: heuristic/keywords, ${phrases}, ${options} }`,
        items,
      );
      // A first_turns limit above every item's turn count: the same turns, searched turn by turn.
      const turnByTurn = await outputsOf(
        `{ name: K, class: heuristic/keywords, ${phrases}, ${options}, first_turns: 1000 }`,
        items,
      );
      expect(searched, options).toEqual(turnByTurn);
      expect(new Set(searched.map((output) => output.value)), options).toEqual(
        new Set(['yes', 'no']),
      );
    }
  });

  it('reads structured segments of a text without speaker lines', async () => {
    const [output] = await outputsOf(
      '{ name: K, class: heuristic/keywords, phrases: [card], speaker: caller }',
      [
        {
          id: '1',
          text: 'a call about something else',
          metadata: { segments: [{ speaker: 'Caller', text: 'my card' }] },
          results: {},
        },
      ],
    );
    expect(output!.value).toBe('yes');
  });
});
