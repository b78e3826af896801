import { describe, expect, it } from 'vitest';
import { answerReading, readLabel } from './label-parsing.js';

// The demo's 270M model answers `{"label": "check balance", "reasoning": "I want ...` and rambles
// past max_tokens: 7 of its 12 intents became errors once cut JSON gave no label, and `pnpm demo`
// exited 3. A first field `"label"` given whole is the answer; a cut or a later label is not.
describe('readLabel: JSON cut short', () => {
  const intents = ['check balance', 'transfer money', 'reset password'];

  it('takes a whole first "label" field of JSON cut short', () => {
    const cut =
      '{\n    "label": "check balance",\n    "reasoning": "I want to check my savings account balance. I want κάτι';
    expect(readLabel(cut, intents)).toEqual({ label: 'check balance' });
    expect(
      readLabel('```json\n{"label": "reset password", "reasoning": "the caller', intents),
    ).toEqual({
      label: 'reset password',
    });
  });

  it('gives none when the label itself is cut, comes later, or is not a label', () => {
    for (const answer of [
      '{"label": "check bal',
      '{"reasoning": "it is about money", "label": "transfer money", "conf',
      '{"label": "open account", "reasoning": "the',
    ])
      expect(readLabel(answer, intents).label, answer).toBeUndefined();
  });

  it('reads a number or a boolean label as the label it writes', () => {
    expect(readLabel('{"label": 1}', ['0', '1'])).toEqual({ label: '1' });
    expect(readLabel('{"label": false, "reasoning": "no"}', ['true', 'false'])).toEqual({
      label: 'false',
    });
  });
});

describe('answerReading: an answer cut at max_tokens (finish_reason length)', () => {
  const cut = (content: string) =>
    answerReading(
      { content, cutAtMaxTokens: true } as Parameters<typeof answerReading>[0],
      ['spam', 'ham'],
      10,
    );

  it('gives a label given whole, as its first JSON field or as all it said', () => {
    expect(cut('{"label": "spam", "reasoning": "it offers a pri')).toEqual({ label: 'spam' });
    expect(cut('ham')).toEqual({ label: 'ham' });
  });

  it('gives none when the label was not given whole', () => {
    for (const content of [
      '{"reasoning":"The text points to spam.",',
      'It is a note from a fr',
      '{"label": "sp',
    ])
      expect(cut(content)).toEqual({
        problem: 'it was cut at max_tokens (10) before it ended: raise max_tokens',
      });
  });
});

describe('readLabel: a line that is a label and nothing else', () => {
  it('is the answer, whatever a later line names', () => {
    // The old reader and the new one both gave spam: the last line naming a label.
    expect(readLabel('ham\nIt is a note from a friend, not spam.', ['spam', 'ham'])).toEqual({
      label: 'ham',
    });
    expect(
      readLabel('It offers a prize, not a note from a friend.\n**Spam**', ['spam', 'ham']),
    ).toEqual({
      label: 'spam',
    });
  });

  it('gives none when two lines are two labels alone', () => {
    expect(readLabel('spam\nor rather\nham', ['spam', 'ham'])).toEqual({
      problem: 'it gives 2 labels on lines of their own (spam, ham)',
    });
  });
});
