// A dated snapshot is priced as its model unless it has a price of its own: gpt-4o-2024-05-13
// kept its launch price ($5/$15 per million tokens), priced as gpt-4o ($2.50/$10) it cost half.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer();
afterAll(() => server.close());

async function usageOf(model: string) {
  const score = {
    name: 'S',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model,
    base_url: server.url,
    prompt: 'Classify:\n{{ text }}',
  };
  const card = await parseScorecard(`name: T\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: '/tmp/pricing-snapshots.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-snapshots-')),
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: 'win [[label:spam]]', metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!.usage!;
}

it('prices gpt-4o-2024-05-13 at its own price, other snapshots as their model', async () => {
  // By hand, per million tokens: the launch snapshot $5 in, $15 out; later ones $2.50, $10.
  const launch = await usageOf('gpt-4o-2024-05-13');
  expect(launch.costUsd).toBeCloseTo(
    (launch.inputTokens! * 5 + launch.outputTokens! * 15) / 1e6,
    15,
  );
  for (const model of ['gpt-4o-2024-08-06', 'openai/gpt-4o-2024-11-20', 'gpt-4o']) {
    const later = await usageOf(model);
    expect(later.costUsd).toBeCloseTo(
      (later.inputTokens! * 2.5 + later.outputTokens! * 10) / 1e6,
      15,
    );
  }
});
