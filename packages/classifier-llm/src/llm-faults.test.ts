import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard } from '@plexus/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classifierKit } from './llm-test-kit.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// llm/classifier under load and faults, over real HTTP (see llm.test.ts).
const { server, base, scoreWith } = await classifierKit(11);

afterAll(() => server.close());
beforeEach(() => server.resetStats());

describe('llm/classifier under load and faults', () => {
  it('runs an evaluation through 5% 429, 2% 500, 1% malformed and 1% hangs: no item lost, retries counted', async () => {
    const faulty = await startTestServer({
      seed: 9,
      faults: { '429': 0.05, '500': 0.02, malformed: 0.01, hang: 0.01 },
      retryAfterSeconds: 0.01,
    });
    const folder = mkdtempSync(join(tmpdir(), 'plexus-llm-faults-'));
    try {
      const data = join(folder, 'sms.csv');
      writeFileSync(
        data,
        `id,text,Spam\n${Array.from({ length: 300 }, (_, index) => `s${index},message ${index} [[${index % 3 ? 'ham' : 'spam'}]],${index % 3 ? 'ham' : 'spam'}`).join('\n')}\n`,
      );
      const source = `name: Faults\nscores:\n  - ${JSON.stringify({ name: 'Spam', class: 'llm/classifier', labels: ['spam', 'ham'], ...base, base_url: faulty.url, model: 'faults', timeout_ms: 300, max_retries: 6 })}\n`;
      const card = await parseScorecard(source, {
        file: join(folder, 'card.yaml'),
        plugins: [plugin],
        cacheDir: folder,
        cache: false,
      });
      const summary = await evaluate({
        scorecard: card,
        data,
        outDir: join(folder, 'run'),
        cache: false,
      });
      expect(summary.items).toBe(300);
      expect(summary.results).toBe(300);
      const stored = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(new Set(stored.map((line) => line.item_id)).size).toBe(300);
      for (const line of stored.filter((entry) => entry.status === 'error'))
        expect(line.error.message.length).toBeGreaterThan(10);
      expect(summary.scores.Spam!.accuracy).toBe(1);
      // Every refused, failed or hung attempt was retried, and the run says how many.
      const faults = Object.entries(faulty.stats.statuses)
        .filter(([status]) => status !== '200')
        .reduce((sum, [, count]) => sum + count, 0);
      expect(summary.retries).toBeGreaterThanOrEqual(faults);
      expect(summary.retries).toBeGreaterThan(10);
      expect(
        JSON.parse(readFileSync(join(folder, 'run', 'metrics.json'), 'utf8')).cost.retries,
      ).toBe(summary.retries);
    } finally {
      await faulty.close();
    }
  });

  it('converges under a server cap on requests in flight, losing no item', async () => {
    const capped = await startTestServer({
      maxInFlight: 4,
      latencyMs: 20,
      retryAfterSeconds: 0.02,
    });
    try {
      const outputs = await scoreWith(
        { base_url: capped.url, model: 'capped-model', max_concurrency: 16, max_retries: 10 },
        Array.from({ length: 200 }, (_, index) => `message ${index}`),
      );
      expect(outputs.filter((output) => output.status === 'ok')).toHaveLength(200);
      expect(capped.stats.maxInFlight).toBeLessThanOrEqual(4);
      const refused = capped.stats.statuses['429'] ?? 0;
      // Adaptive concurrency: far fewer refusals than requests.
      expect(refused).toBeLessThan(100);
    } finally {
      await capped.close();
    }
  });

  it('ends every item as a result or a reported error under 429, 500, malformed answers and hangs', async () => {
    const faulty = await startTestServer({
      seed: 5,
      faults: { '429': 0.05, '500': 0.02, malformed: 0.01, hang: 0.01 },
      retryAfterSeconds: 0.01,
    });
    try {
      const outputs = await scoreWith(
        { base_url: faulty.url, model: 'faulty-model', timeout_ms: 300, max_retries: 6 },
        Array.from({ length: 400 }, (_, index) => `text ${index}`),
      );
      expect(outputs).toHaveLength(400);
      const ok = outputs.filter((output) => output.status === 'ok').length;
      const errors = outputs.filter((output) => output.status === 'error');
      expect(ok + errors.length).toBe(400);
      for (const error of errors) expect(error.error!.message.length).toBeGreaterThan(10);
      expect(ok).toBeGreaterThan(390);
      const retried = outputs.filter(
        (output) =>
          ((output.trace as { attempts?: number }).attempts ?? 1) > (output.usage?.calls ?? 1),
      );
      expect(retried.length).toBeGreaterThan(10);
    } finally {
      await faulty.close();
    }
  });
});
