// An explanation quotes the text around a match: a secret the quote would cut in two is taken
// whole and redacted (a piece of it would pass the result line's redaction, which finds whole
// secrets only).
import { clearSecrets, parseScorecard, registerSecret } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const secret = 'sk-quote-secret-0123456789abcdef';
afterAll(() => clearSecrets());

async function explanations(score: string, text: string): Promise<string[]> {
  const card = await parseScorecard(`name: T\nscores:\n  - ${score}\n`, {
    file: '/tmp/quote-secret.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  const outputs = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return outputs.map((output) => output.explanation ?? '');
}

/** The longest piece of the secret (from either end) found in `text`. */
function longestPiece(text: string): number {
  let longest = 0;
  for (let length = 4; length <= secret.length; length += 1)
    if (text.includes(secret.slice(0, length)) || text.includes(secret.slice(-length)))
      longest = length;
  return longest;
}

it('keeps no piece of a secret in a keywords or regex explanation', async () => {
  registerSecret(secret);
  // The secret starts 20 characters before the match and ends 15 after it: a 30-character
  // margin either side cuts it.
  const before = `my key is ${secret} then card please`;
  const after = `card ${'x'.repeat(10)} ${secret}`;
  for (const text of [before, after]) {
    for (const score of [
      '{ name: K, class: heuristic/keywords, phrases: [card] }',
      '{ name: R, class: heuristic/regex, patterns: ["card"] }',
    ]) {
      const [explanation] = await explanations(score, text);
      expect(explanation).toContain('card');
      expect(explanation).toContain('[redacted]');
      expect(longestPiece(explanation!), explanation).toBeLessThan(4);
    }
  }
});
