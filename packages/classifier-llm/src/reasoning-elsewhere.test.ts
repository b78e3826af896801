// An endpoint that spends tokens on reasoning it returns beside the answer (`reasoning_content`,
// as vLLM and DeepSeek do) and sends neither `finish_reason` nor `usage`: the answer's bytes alone
// say too little of the tokens spent. The test server spends the reasoning's tokens from
// `max_tokens` first and cuts the answer where the cap ends, as such a model does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// 1,000 characters of reasoning: 250 of the answer's 256 tokens, leaving it 6 (24 characters).
const server = await startTestServer({
  finishReason: false,
  usage: false,
  decide: () => 'ham',
  reasoning: ({ text }) => (text.includes('#long') ? 'x'.repeat(1000) : 'short thought'),
});
afterAll(() => server.close());

async function score(text: string): Promise<ScoreOutputV1> {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-reasoning-elsewhere-'));
  const settings = {
    name: 'Spam',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'reasoning-model',
    base_url: server.url,
    api_key_env: 'HOME',
    structured_output: false,
    max_corrections: 0,
    prompt: 'Is this SMS spam or ham?\n{{ text }}',
  };
  const card = await parseScorecard(`name: R\nscores:\n  - ${JSON.stringify(settings)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'R' },
  });
  return output!;
}

describe('reasoning returned beside the answer, without finish_reason or usage', () => {
  it('counts its bytes: an answer the reasoning left 24 characters may be cut', async () => {
    const output = await score('#long are you coming tonight');
    // The server cut "The text points to ham.\nAnswer: ham" after 24 characters.
    expect(output.status).toBe('error');
    expect(output.error!.message).toMatch(/may have been cut at max_tokens \(256\)/);
    expect(output.error!.message).toMatch(/1024 bytes with its reasoning/);
  });

  it('reads an answer whose reasoning and text are shorter than max_tokens as complete', async () => {
    const output = await score('are you coming tonight');
    expect(output).toMatchObject({ status: 'ok', value: 'ham' });
    expect((output.trace as { answer_note: string }).answer_note).toMatch(
      /its \d+ bytes \(with its reasoning\) are fewer than max_tokens \(256\)/,
    );
  });
});
