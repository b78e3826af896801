// OpenAI's reasoning models (gpt-5*, o1, o3, o4-mini) refuse `max_tokens` and any temperature but
// 1 with a 400, as the test server does: their calls carry `max_completion_tokens` and no
// temperature. Every item was an error before.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReasoningModel, parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer();
afterAll(() => server.close());

async function scoreWith(settings: Record<string, unknown>): Promise<ScoreOutputV1> {
  const score = {
    name: 'S',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    base_url: server.url,
    prompt: 'Classify:\n{{ text }}',
    max_retries: 0,
    max_corrections: 0,
    ...settings,
  };
  const card = await parseScorecard(`name: T\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: '/tmp/reasoning-models.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-reasoning-')),
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: 'win [[label:spam]]', metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!;
}

describe('reasoning models', () => {
  it('are called with max_completion_tokens and no temperature, and answer', async () => {
    for (const model of ['gpt-5-mini', 'gpt-5.4-nano', 'o3', 'o4-mini-2025-04-16'])
      expect(await scoreWith({ model })).toMatchObject({ value: 'spam', status: 'ok' });
    // The cap is sent and applied: 10 tokens cut the structured answer (15 tokens).
    const cut = await scoreWith({ model: 'gpt-5-mini', max_tokens: 10 });
    expect(cut.error!.message).toContain('cut at max_tokens (10)');
    // Other models keep max_tokens and temperature.
    expect(await scoreWith({ model: 'gpt-4o-mini', temperature: 0.5 })).toMatchObject({
      value: 'spam',
    });
  });

  it('are told apart by name', () => {
    const reasoning = ['gpt-5', 'gpt-5.5', 'gpt-5-nano', 'openai/gpt-5-mini', 'o1', 'o3-mini'];
    for (const model of reasoning) expect(isReasoningModel(model)).toBe(true);
    const others = ['gpt-4o', 'gpt-4.1-mini', 'gpt-oss-20b', 'gpt-50', 'ollama/o3x', 'omni'];
    for (const model of others) expect(isReasoningModel(model)).toBe(false);
  });
});
