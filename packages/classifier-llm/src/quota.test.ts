import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { classifierKit } from './llm-test-kit.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const { server, base, scoreWith } = await classifierKit(17);
afterAll(() => server.close());

describe("a 429 saying the account's quota is used up (insufficient_quota)", () => {
  it('is not retried as a rate limit: one request, and an error that stops the run', async () => {
    server.resetStats();
    server.queueFaults('quota');
    await expect(scoreWith({}, ['[[ham]]'])).rejects.toMatchObject({
      stopsRun: true,
      isRetryable: false,
      code: 'insufficient_quota',
      message: expect.stringMatching(/quota is used up .*add credit .*--resume/),
    });
    // It was retried with back-off as a rate limit (and each item of a run failed on its own).
    expect(server.stats.requests).toBe(1);
    server.queueFaults('429');
    const [output] = await scoreWith({}, ['[[ham]]']);
    expect(output).toMatchObject({ status: 'ok', value: 'ham', usage: { retries: 1 } });
  });

  it('stops the run with the items unscored, and the run resumes once there is credit', async () => {
    const spent = await startTestServer({ seed: 3, faults: { quota: 1 } });
    try {
      const folder = mkdtempSync(join(tmpdir(), 'plexus-llm-quota-'));
      const data = join(folder, 'items.csv');
      const rows = Array.from({ length: 300 }, (_, index) => `m${index},message ${index} [[spam]]`);
      writeFileSync(data, `id,text\n${rows.join('\n')}\n`);
      const settings = { name: 'Spam', class: 'llm/classifier', labels: ['spam', 'ham'], ...base };
      const source = `name: Quota\nscores:\n  - ${JSON.stringify({ ...settings, base_url: spent.url })}\n`;
      const load = (text: string) =>
        parseScorecard(text, {
          file: join(folder, 'card.yaml'),
          plugins: [plugin],
          cacheDir: folder,
        });
      const run = join(folder, 'run');
      const summary = await evaluate({
        scorecard: await load(source),
        data,
        outDir: run,
        cache: false,
      });
      expect(summary.status).toBe('failed');
      expect(summary.error).toMatch(/insufficient_quota/);
      // No item is recorded as an error to retry one by one: the calls in flight at most were sent.
      expect(summary.errors).toBe(0);
      expect(spent.stats.requests).toBeLessThanOrEqual(8);
      const stored = readFileSync(join(run, 'results.jsonl'), 'utf8').trim();
      expect(stored).toBe('');
      const paid = source.replace(spent.url, server.url);
      const resumed = await evaluate({
        scorecard: await load(paid),
        data,
        resumeDir: run,
        cache: false,
      });
      expect(resumed).toMatchObject({ status: 'completed', items: 300, results: 300, errors: 0 });
    } finally {
      await spent.close();
    }
  });
});
