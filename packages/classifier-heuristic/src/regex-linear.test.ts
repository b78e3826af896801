import { readFileSync } from 'node:fs';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const calls = readFileSync(
  new URL('../../../examples/call-center-qa/data/calls.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; text: string });

async function outputsOf(patterns: string[]): Promise<ScoreOutputV1[]> {
  const yaml = `name: T\nscores:\n  - name: R\n    class: heuristic/regex\n    patterns: ${JSON.stringify(patterns)}\n    speaker: agent\n    first_turns: 4\n`;
  const card = await parseScorecard(yaml, {
    file: '/tmp/regex-linear.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  return card.scores[0]!.score!.doScore({
    items: calls.map((call) => ({ id: call.id, text: call.text, metadata: {}, results: {} })),
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
}

describe('heuristic/regex without the time limit', () => {
  it('gives patterns that run without it the same outputs as with it', async () => {
    // `(?:)?` changes nothing a pattern matches but has a repetition: it keeps the time limit.
    const linear = ['how (can|may|could) i (help|assist)', 'which (card|one)'];
    const guarded = linear.map((pattern) => `${pattern}(?:)?`);
    const plain = await outputsOf(linear);
    const limited = await outputsOf(guarded);
    const withoutSuffix = (output: ScoreOutputV1) =>
      JSON.parse(JSON.stringify(output).replaceAll('(?:)?', '')) as unknown;
    expect(plain.map(withoutSuffix)).toEqual(limited.map(withoutSuffix));
    expect(new Set(plain.map((output) => output.value))).toEqual(new Set(['yes', 'no']));
  });
});
