import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

/** Forty x's make `(x+x+)+y` backtrack for ever: the item runs out of time and goes to RE2. */
const slow = ` ${'x'.repeat(40)}`;

type Pattern = string | { pattern: string; flags: string };

async function outputsOf(patterns: Pattern[], texts: string[]): Promise<ScoreOutputV1[]> {
  const yaml = `name: T\nscores:\n  - name: R\n    class: heuristic/regex\n    timeout_ms: 50\n    patterns: ${JSON.stringify(['(x+x+)+y', ...patterns])}\n`;
  const card = await parseScorecard(yaml, {
    file: '/tmp/re2-reading.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  return card.scores[0]!.score!.doScore({
    items: texts.map((text, index) => ({ id: String(index), text, metadata: {}, results: {} })),
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
}

/** What JavaScript's engine answers, given all the time it needs (the patterns alone, no scorer). */
function javascriptAnswer(pattern: Pattern, text: string): 'yes' | 'no' {
  const [source, flags] =
    typeof pattern === 'string' ? [pattern, 'i'] : [pattern.pattern, pattern.flags];
  return new RegExp(source, flags).test(text) ? 'yes' : 'no';
}

describe('heuristic/regex: an item answered by RE2 after the time limit', () => {
  // Each case: a pattern, and a text where RE2 and JavaScript read it differently.
  const cases: { why: string; pattern: Pattern; text: string; character: string }[] = [
    {
      why: "JavaScript's \\s matches a no-break space",
      pattern: 'total\\s\\d+',
      text: 'total\u00a042',
      character: 'U+00A0',
    },
    {
      why: "JavaScript's \\s matches a vertical tab",
      pattern: 'a\\sb',
      text: 'a\u000bb',
      character: 'U+000B',
    },
    {
      why: "JavaScript's . does not match a carriage return",
      pattern: 'one.line',
      text: 'one\rline',
      character: 'U+000D',
    },
    {
      why: 'ignoring case, RE2 takes the long s for s',
      pattern: 'false',
      text: 'fal\u017fe',
      character: 'U+017F',
    },
    {
      why: 'ignoring case, RE2 takes the Kelvin sign for k',
      pattern: 'ok',
      text: 'o\u212a',
      character: 'U+212A',
    },
    {
      why: "without flag u, JavaScript's . is half an emoji",
      pattern: { pattern: 'a.b', flags: '' },
      text: 'a\u{1f600}b',
      character: 'U+1F600',
    },
    {
      why: "with flag m, JavaScript's $ is before a carriage return",
      pattern: { pattern: 'end$', flags: 'm' },
      text: 'the end\r\nnext',
      character: 'U+000D',
    },
  ];

  it.each(cases)(
    'never answers otherwise than JavaScript: $why',
    async ({ pattern, text, character }) => {
      const [output] = await outputsOf([pattern], [text + slow]);
      const truth = javascriptAnswer(pattern, text + slow);
      if (output!.status === 'ok') expect(output!.value).toBe(truth);
      else {
        expect(output!.error?.code).toBe('regex_timeout');
        expect(output!.error?.message).toContain(character);
      }
      // RE2 alone would have answered otherwise: the case is one where the engines differ.
      expect(output!.status).toBe('error');
    },
  );

  it.each([
    ['\\Atotal', 'total'], // RE2: start of text; JavaScript: the letter A
    ['\\x{41}', 'A'], // RE2: the letter A; JavaScript: 41 x's
    ['[[:digit:]]', '7'], // RE2: a digit; JavaScript: a class then ]
    ['\\Q.\\E', '.'], // RE2: a quoted dot; JavaScript: the letters Q and E
  ])(
    'does not run with RE2 a pattern whose syntax RE2 reads otherwise: %s',
    async (pattern, text) => {
      const [output] = await outputsOf([pattern], [text + slow]);
      expect(javascriptAnswer(pattern, text + slow)).toBe('no');
      expect(output!.status).toBe('error');
      expect(output!.error?.message).toContain('RE2 reads');
    },
  );

  it('answers with RE2 a Unicode property with flag u, which both engines read alike', async () => {
    const pattern = { pattern: '\\p{Lu}\\p{Ll}+ total', flags: 'u' };
    const texts = ['Grand total 5', 'grand total 5'].map((text) => text + slow);
    const outputs = await outputsOf([pattern], texts);
    // By hand: a capital then small letters before " total" only in the first.
    expect(outputs.map((output) => output.value)).toEqual(['yes', 'no']);
    expect(texts.map((text) => javascriptAnswer(pattern, text))).toEqual(['yes', 'no']);
  });

  it('still answers with RE2 when the text holds nothing the engines read otherwise', async () => {
    const texts = ['total 42', 'total\t7', 'nothing here', 'caf\u00e9 total 9 \u{1f600}'];
    const outputs = await outputsOf(
      ['total\\s\\d+'],
      texts.map((text) => text + slow),
    );
    // By hand: the first, second and fourth hold "total", a blank and a digit.
    expect(outputs.map((output) => output.value)).toEqual(['yes', 'yes', 'no', 'yes']);
    expect(outputs.every((output) => output.status === 'ok')).toBe(true);
  });
});
