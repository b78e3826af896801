// What the llm/classifier test files (llm.test.ts, llm-budgets.test.ts, llm-faults.test.ts) share:
// a real test server speaking the OpenAI protocol on loopback, the score settings pointing at it,
// and a helper scoring texts through a loaded scorecard. Each file starts its own server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreItemV1, type ScoreOutputV1 } from '@plexus/core';
import { plugin } from './plugin.js';
import { startTestServer, type TestServer } from './testing/openai-test-server.js';

/** The key the tests set: it must never appear in an output. */
export const canary = 'sk-canary-DO-NOT-LEAK-1234567890';

export interface ClassifierKit {
  server: TestServer;
  /** Model, endpoint, key variable and prompt of an `llm/classifier` score on `server`. */
  base: { model: string; base_url: string; api_key_env: string; prompt: string };
  /** The outputs of one `llm/classifier` score (these settings over `base`) for `texts`. */
  scoreWith: (
    settings: Record<string, unknown>,
    texts: string[],
    options?: { labels?: string[]; cacheDir?: string },
  ) => Promise<ScoreOutputV1[]>;
}

/** Starts a test server (seeded) and the settings and helper that score against it. */
export async function classifierKit(seed: number): Promise<ClassifierKit> {
  const server = await startTestServer({ seed });
  process.env.PLEXUS_TEST_KEY = canary;
  const base = {
    model: 'test-model',
    base_url: server.url,
    api_key_env: 'PLEXUS_TEST_KEY',
    prompt: 'Is this spam?\n{{ text }}',
  };
  const scoreWith: ClassifierKit['scoreWith'] = async (settings, texts, options = {}) => {
    const labels = options.labels ?? ['spam', 'ham'];
    const yaml = `name: T\nscores:\n  - ${JSON.stringify({ name: 'S', class: 'llm/classifier', labels, ...base, ...settings })}\n`;
    // A fresh cache folder unless the test shares one: stored responses would hide the server.
    const cacheDir = options.cacheDir ?? mkdtempSync(join(tmpdir(), 'plexus-llm-'));
    const card = await parseScorecard(yaml, { file: '/tmp/llm.yaml', plugins: [plugin], cacheDir });
    const items: ScoreItemV1[] = texts.map((text, index) => ({
      id: String(index),
      text,
      metadata: {},
      results: {},
    }));
    return card.scores[0]!.score!.doScore({
      items,
      signal: new AbortController().signal,
      context: { scorecard: 'T' },
    });
  };
  return { server, base, scoreWith };
}
