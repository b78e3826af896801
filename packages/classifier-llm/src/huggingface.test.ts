import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { describeScoreConformance } from '@plexus/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { hfTaskFactory } from './hf-task-score.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// The real @huggingface/inference client against the test server over HTTP, as a dedicated
// endpoint (`base_url`): chat completions and the zero-shot and text-classification tasks.
const server = await startTestServer({ seed: 5 });
const canary = 'hf_canary_DO_NOT_LEAK_0123456789';
process.env.PLEXUS_HF_TOKEN = canary;
afterAll(() => server.close());
beforeEach(() => server.resetStats());

async function score(settings: Record<string, unknown>, texts: string[], labels: string[]) {
  const entry = {
    name: 'S',
    labels,
    base_url: server.url,
    api_key_env: 'PLEXUS_HF_TOKEN',
    ...settings,
  };
  const card = await parseScorecard(`name: T\nscores:\n  - ${JSON.stringify(entry)}\n`, {
    file: '/tmp/hf.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-hf-')),
  });
  return card.scores[0]!.score!.doScore({
    items: texts.map((text, index) => ({ id: String(index), text, metadata: {}, results: {} })),
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
}

const zeroShot = {
  task: 'zero-shot-classification',
  model: 'm',
  base_url: server.url,
  api_key_env: 'PLEXUS_HF_TOKEN',
};
describeScoreConformance('llm/hf-task', {
  factory: hfTaskFactory,
  settings: zeroShot,
  otherSettings: { ...zeroShot, hypothesis_template: 'It is {}.' },
  invalidSettings: { ...zeroShot, task: 'translation' },
  labels: ['spam', 'ham'],
});

const values = (outputs: ScoreOutputV1[]) => outputs.map((output) => output.value);

describe('provider: huggingface', () => {
  it('asks chat completions through @huggingface/inference with the labels enforced', async () => {
    const outputs = await score(
      { class: 'llm/classifier', provider: 'huggingface', model: 'tgi', prompt: '{{ text }}' },
      ['win a prize [[spam]]', 'see you [[ham]]'],
      ['spam', 'ham'],
    );
    expect(values(outputs)).toEqual(['spam', 'ham']);
    expect(outputs[0]!.usage).toMatchObject({ calls: 1 });
    expect(outputs[0]!.usage!.inputTokens).toBeGreaterThan(0);
    expect(server.stats.requests).toBe(2);
    expect(JSON.stringify(outputs)).not.toContain(canary);
  });
});

describe('llm/hf-task', () => {
  it('zero-shot: the labels are the candidates, the top score the confidence', async () => {
    const outputs = await score(
      {
        class: 'llm/hf-task',
        task: 'zero-shot-classification',
        model: 'facebook/bart-large-mnli',
        hypothesis_template: 'This message is {}.',
      },
      ['lost my card [[card]]', 'what are your hours [[hours]]'],
      ['card', 'hours', 'other'],
    );
    expect(values(outputs)).toEqual(['card', 'hours']);
    expect(outputs[0]!.confidence).toBeCloseTo(0.9, 6);
    expect(outputs[0]!.trace).toMatchObject({ scores: { card: 0.9 } });
    expect(JSON.stringify(outputs)).not.toContain(canary);
  });

  it('text classification: the model labels mapped to the score labels; an unmapped one is an error naming label_map', async () => {
    const settings = {
      class: 'llm/hf-task',
      task: 'text-classification',
      model: 'distilbert-sst2',
    };
    const mapped = await score(
      { ...settings, label_map: { POSITIVE: 'good', NEGATIVE: 'bad' } },
      ['great service [[POSITIVE]]', 'awful [[NEGATIVE]]'],
      ['good', 'bad'],
    );
    expect(values(mapped)).toEqual(['good', 'bad']);
    const [unmapped] = await score(settings, ['great [[POSITIVE]]'], ['good', 'bad']);
    expect(unmapped).toMatchObject({ status: 'error', error: { code: 'invalid_answer' } });
    expect(unmapped!.error!.message).toMatch(/answered "POSITIVE".*map it with label_map/);
  });

  it('retries a 500 and a malformed answer, and stops the run on a 401', async () => {
    server.queueFaults('500', 'malformed');
    const settings = { class: 'llm/hf-task', task: 'zero-shot-classification', model: 'm' };
    const [output] = await score(settings, ['x [[yes]]'], ['yes', 'no']);
    expect(output).toMatchObject({ status: 'ok', value: 'yes', usage: { retries: 2 } });
    server.queueFaults('401');
    await expect(score(settings, ['x'], ['yes', 'no'])).rejects.toThrow(
      /answered 401: check your token \(HF_TOKEN\)/,
    );
  });
});
