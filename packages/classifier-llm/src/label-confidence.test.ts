// `logprobs: true`: the confidence is the probability of the label as the answer states it, not of
// the answer's last token (a structured answer ends with `"}`, at a probability near 1).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { labelLogprob } from './label-logprob.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer();
afterAll(() => server.close());

async function confidences(settings: Record<string, unknown>) {
  const score = JSON.stringify({
    name: 'S',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'test-model',
    base_url: server.url,
    prompt: 'Classify:\n{{ text }}',
    logprobs: true,
    ...settings,
  });
  const card = await parseScorecard(`name: T\nscores:\n  - ${score}\n`, {
    file: '/tmp/label-confidence.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-confidence-')),
    cache: false,
  });
  const outputs = await card.scores[0]!.score!.doScore({
    items: ['win [[label:spam]]', 'lunch [[label:ham]]'].map((text, index) => ({
      id: String(index),
      text,
      metadata: {},
      results: {},
    })),
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return outputs.map((output) => [output.value, output.confidence]);
}

describe('confidence from log-probabilities', () => {
  it('is the label token’s probability in a structured answer (0.9 by the server), not its last token’s (0.99)', async () => {
    const structured = await confidences({});
    expect(structured.map(([value]) => value)).toEqual(['spam', 'ham']);
    for (const [, confidence] of structured) expect(confidence).toBeCloseTo(0.9, 12);
    for (const [, confidence] of await confidences({ structured_output: false }))
      expect(confidence).toBeCloseTo(0.9, 12);
  });

  it('multiplies the probabilities of a label spread over tokens; none without the tokens', () => {
    const tokens: [string, number][] = [
      ['{"reasoning":"no offer","label":"', 0.97],
      ['not', 0.5],
      [' spam', 0.8],
      ['"}', 0.999],
    ];
    const content = tokens.map(([token]) => token).join('');
    const response = {
      content,
      inputTokens: 1,
      outputTokens: 4,
      cachedTokens: 0,
      tokenLogprobs: tokens.map(([token, probability]) => ({
        token,
        logprob: Math.log(probability),
      })),
    };
    // By hand: 0.5 x 0.8.
    expect(Math.exp(labelLogprob(response, 'not spam')!)).toBeCloseTo(0.4, 12);
    // An answer kept by an older Plexus (its last token's log-probability only): no confidence.
    expect(
      labelLogprob({ ...response, tokenLogprobs: undefined, labelLogprob: 0 }, 'not spam'),
    ).toBeUndefined();
    // Tokens that do not spell the answer (bytes split differently): no confidence, not a wrong one.
    expect(labelLogprob({ ...response, content: `${content} ` }, 'not spam')).toBeUndefined();
  });
});
