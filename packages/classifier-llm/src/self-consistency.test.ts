import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// A sampled local model, played by the test server: for "unsure" messages its answers go
// spam, ham, spam, spam, ham, spam ... request after request; other messages always get spam.
let unsureRequests = 0;
const server = await startTestServer({
  decide: ({ text }) =>
    text.includes('unsure') ? (unsureRequests++ % 3 === 1 ? 'ham' : 'spam') : 'spam',
});
process.env.PLEXUS_SC_TEST_KEY = 'sk-self-consistency';
afterAll(() => server.close());

const folder = mkdtempSync(join(tmpdir(), 'plexus-self-consistency-'));
const data = join(folder, 'items.csv');
writeFileSync(data, 'id,text,Spam\nsure,win money now,spam\nunsure,unsure offer,spam\n');

function card(settings: string) {
  return parseScorecard(
    `name: SC\nscores:\n  - { name: Spam, class: llm/classifier, model: test-model, labels: [spam, ham], base_url: "${server.url}", api_key_env: PLEXUS_SC_TEST_KEY, prompt: "is this spam? {{ text }}"${settings} }\n`,
    // The response cache is on: samples must still be fresh calls.
    { file: join(folder, 'card.yaml'), plugins: [plugin], cacheDir: folder },
  );
}

describe('llm/classifier with samples: N', () => {
  it('asks N times (no cached answer reused), answers the majority, confidence the agreeing share', async () => {
    const out = join(folder, 'run');
    const before = server.stats.requests;
    await evaluate({
      scorecard: await card(', temperature: 0.8, samples: 3'),
      data,
      outDir: out,
      cache: false,
      cacheDir: folder,
      concurrency: 1,
    });
    expect(server.stats.requests - before).toBe(6);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ResultLine);
    const unsure = lines.find((line) => line.item_id === 'unsure')!;
    expect(unsure).toMatchObject({ value: 'spam', llm_calls: 3 });
    expect(unsure.confidence).toBeCloseTo(2 / 3, 12);
    expect((unsure.trace as { self_consistency: unknown }).self_consistency).toEqual({
      samples: ['spam', 'ham', 'spam'],
    });
    expect(lines.find((line) => line.item_id === 'sure')).toMatchObject({
      value: 'spam',
      confidence: 1,
    });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.scores.Spam.self_consistency).toEqual({ items: 2, flip_rate: 0.5 });
    // Run again: every sample is asked again (a cached response would make all samples alike).
    const again = server.stats.requests;
    await evaluate({
      scorecard: await card(', temperature: 0.8, samples: 3'),
      data,
      outDir: join(folder, 'again'),
      cache: false,
      cacheDir: folder,
      concurrency: 1,
    });
    expect(server.stats.requests - again).toBe(6);
  });

  it('refuses samples at the default temperature 0', async () => {
    await expect(card(', samples: 3')).rejects.toThrow(/set temperature above 0/);
  });
});
