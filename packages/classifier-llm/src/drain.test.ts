import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// Real HTTP: slow answers, so that many items wait for a slot when the run is stopped.
const server = await startTestServer({ seed: 5, latencyMs: 250 });
process.env.PLEXUS_DRAIN_TEST_KEY = 'sk-drain-test';
afterAll(() => server.close());

it('a stopping run (Ctrl-C) sends no new call: what was sent is stored, the rest resumes', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-drain-'));
  const data = join(folder, 'items.csv');
  const rows = Array.from({ length: 60 }, (_, index) => `m${index},message ${index} [[spam]]`);
  writeFileSync(data, `id,text\n${rows.join('\n')}\n`);
  const card = await parseScorecard(
    `name: Drain\nscores:\n  - name: Spam\n    class: llm/classifier\n    labels: [spam, ham]\n    base_url: ${server.url}\n    api_key_env: PLEXUS_DRAIN_TEST_KEY\n    model: gpt-4o-mini\n    max_concurrency: 2\n    prompt: "Spam? {{ text }}"\n`,
    { file: join(folder, 'card.yaml'), plugins: [plugin], cacheDir: folder, cache: false },
  );
  const drain = new AbortController();
  const out = join(folder, 'run');
  const first = await evaluate({
    scorecard: card,
    data,
    outDir: out,
    cache: false,
    drain: drain.signal,
    onResult: () => drain.abort(),
  });
  expect(first.status).toBe('interrupted');
  const stored = () =>
    readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ResultLine);
  const kept = stored();
  // Only the calls in flight at the stop (2) finished after it; every sent call is stored, and
  // nothing was stored as an error for the items never sent.
  expect(kept.length).toBeGreaterThan(0);
  expect(kept.length).toBeLessThanOrEqual(3);
  expect(kept.every((line) => line.status === 'ok')).toBe(true);
  expect(server.stats.requests).toBe(kept.length);
  const resumed = await evaluate({ scorecard: card, resumeDir: out, cache: false });
  expect(resumed.status).toBe('completed');
  expect(stored()).toHaveLength(60);
  expect(server.stats.requests).toBe(60); // no call repeated
});
