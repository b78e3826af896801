import { expect, it } from 'vitest';
import { answerReading, readLabel } from './label-parsing.js';

const labels = ['spam', 'ham'];

// JSON that does not parse but starts with a whole `"label"` gives that label (a small model's
// reasoning cut short). An answer that gives a second "label" after it changed its mind: the
// first was taken, though its last word was ham.
it('gives no label for invalid JSON that states a label twice', () => {
  for (const answer of [
    '{"label": "spam"}\nActually, wait: {"label": "ham"}',
    '{"label": "spam", "reasoning": "a prize", "label": "ham", "conf',
  ])
    expect(readLabel(answer, labels).label, answer).toBeUndefined();
  const cut = answerReading(
    { content: '{"label": "spam"} {"label": "ham", "reas', cutAtMaxTokens: true } as Parameters<
      typeof answerReading
    >[0],
    labels,
    20,
  );
  expect(cut.label).toBeUndefined();
});

it('still gives the first label of JSON cut short, a "label" quoted in its reasoning too', () => {
  expect(readLabel('{"label": "spam", "reasoning": "its \\"label\\" says {win', labels)).toEqual({
    label: 'spam',
  });
});
