import { expect, it } from 'vitest';
import { answerReading } from './label-parsing.js';

const cut = (content: string, labels: readonly string[]) =>
  answerReading(
    { content, cutAtMaxTokens: true } as Parameters<typeof answerReading>[0],
    labels,
    1,
  );

it('gives no label for a cut answer that may be the start of a longer label', () => {
  // Cut after "yes", the model may have been writing "yes, partly": yes was a guess.
  const problem = 'it was cut at max_tokens (1) before it ended: raise max_tokens';
  expect(cut('yes', ['yes', 'yes, partly', 'no'])).toEqual({ problem });
  expect(cut('Ham', ['spam', 'ham', 'hamster'])).toEqual({ problem });
  // A label no other begins with was given whole, cut or not; a closed JSON string too.
  expect(cut('no', ['yes', 'yes, partly', 'no'])).toEqual({ label: 'no' });
  expect(cut('{"label": "yes", "reasoning": "it mostly', ['yes', 'yes, partly', 'no'])).toEqual({
    label: 'yes',
  });
});
