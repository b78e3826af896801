// A stopping run (the first Ctrl-C) does not wait out a long `retry-after`: a call sleeping in its
// back-off (or waiting for a slot) ends unsent at once, and a resume scores it. It slept on with a
// live timer, so the run ended only after retry-after (here 30 s) or a second Ctrl-C. Over the
// real test server.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { forgetSharedLimiters } from './request-limiter.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer({ retryAfterSeconds: 30 });
afterAll(() => server.close());

it('ends the calls waiting out a 30 s retry-after at the first stop; the resume scores them', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-drain-backoff-'));
  const data = join(folder, 'items.csv');
  writeFileSync(data, 'id,text\na,free prize [[spam]]\nb,see you at six [[ham]]\n');
  const load = () =>
    parseScorecard(
      `name: Drain\nscores:\n  - name: Spam\n    class: llm/classifier\n    labels: [spam, ham]\n    base_url: ${server.url}\n    api_key_env: HOME\n    model: gpt-4o-mini\n    max_concurrency: 1\n    prompt: "Spam? {{ text }}"\n`,
      { file: join(folder, 'card.yaml'), plugins: [plugin], cacheDir: folder, cache: false },
    );
  const card = await load();
  server.queueFaults('429'); // the first request: its call sleeps 30 s
  const drain = new AbortController();
  const stopOnce429 = setInterval(() => {
    if (server.stats.requests >= 1) drain.abort();
  }, 5);
  const started = Date.now();
  const out = join(folder, 'run');
  try {
    const first = await evaluate({ scorecard: card, data, outDir: out, drain: drain.signal });
    expect(first.status).toBe('interrupted');
  } finally {
    clearInterval(stopOnce429);
  }
  expect(Date.now() - started).toBeLessThan(5000);
  // The 429, and the other item's answer if it was sent before the stop (at once, or never).
  expect(server.stats.statuses[429]).toBe(1);
  const answered = server.stats.statuses[200] ?? 0;
  expect(server.stats.requests).toBe(1 + answered);
  const lines = () =>
    readFileSync(join(out, 'results.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ResultLine);
  // The item whose call was stopped in its back-off is not written (as an error or otherwise).
  expect(lines().map((line) => `${line.item_id}=${line.value}`)).toEqual(
    answered === 1 ? ['b=ham'] : [],
  );
  // The resume is a process of its own: no limiter resting from the 429.
  forgetSharedLimiters();
  const resumed = await evaluate({ scorecard: await load(), resumeDir: out });
  expect(resumed.status).toBe('completed');
  const all = lines().map((line) => `${line.item_id}=${line.value}`);
  expect(all.sort()).toEqual(['a=spam', 'b=ham']);
  expect(server.stats.requests).toBe(3); // the 429, then one answer per item
}, 20_000);
