import { describe, expect, it } from 'vitest';
import { readLabel } from './label-parsing.js';

const labels = ['spam', 'ham'];

describe('readLabel: a label alone on a line in the middle of the reasoning is not the answer', () => {
  it('reads past a list of the labels the model recites before answering', () => {
    // The list made two "lines of their own" (no label at all); the last line says ham.
    expect(readLabel('The labels are:\n- spam\n- ham\nI think ham.', labels)).toEqual({
      label: 'ham',
    });
    expect(readLabel('Options:\n- spam\n- ham\n\nThe message is clearly spam.', labels)).toEqual({
      label: 'spam',
    });
  });

  it('never takes a label the model weighed and turned down', () => {
    // One recited option, or a sentence split across lines, gave spam.
    expect(
      readLabel('First consider:\n- spam\nIt does not look like that. The message is ham.', labels),
    ).toEqual({ label: 'ham' });
    expect(
      readLabel('This message looks like\nspam\nbut it is from a friend, so it is ham.', labels),
    ).toEqual({ label: 'ham' });
  });

  it('still takes the label alone on the first or the last line', () => {
    expect(readLabel('\nham\nIt is a note from a friend, not spam.', labels)).toEqual({
      label: 'ham',
    });
    expect(readLabel('Not a note from a friend: it offers a prize.\n**Spam**\n', labels)).toEqual({
      label: 'spam',
    });
    expect(readLabel('spam\nor rather\nham', labels)).toEqual({
      problem: 'it gives 2 labels on lines of their own (spam, ham)',
    });
  });
});
