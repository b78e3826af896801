import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costText, evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/index.js';

const server = await startTestServer({ seed: 7, latencyMs: 5 });
process.env.PLEXUS_HEDGE_TEST_KEY = 'sk-hedge-test';
afterAll(() => server.close());

/** A scorecard of one `llm/classifier` score on the test server, with `extra` settings. */
function card(folder: string, extra: string) {
  return parseScorecard(
    `name: Hedge\nscores:\n  - name: Spam\n    class: llm/classifier\n    labels: [spam, ham]\n    base_url: ${server.url}\n    api_key_env: PLEXUS_HEDGE_TEST_KEY\n    model: gpt-4o-mini\n    max_concurrency: 2\n    prompt: "Spam? {{ text }}"\n${extra}`,
    { file: join(folder, 'card.yaml'), plugins: [plugin], cacheDir: folder, cache: false },
  );
}

/** Runs four items (the first call hangs) and gives the result lines. */
async function runFour(extra: string) {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-hedge-'));
  const data = join(folder, 'items.csv');
  writeFileSync(data, `id,text\n${[0, 1, 2, 3].map((i) => `m${i},message ${i}`).join('\n')}\n`);
  const scorecard = await card(folder, extra);
  server.resetStats();
  server.queueFaults('hang');
  const started = Date.now();
  const out = join(folder, 'run');
  const summary = await evaluate({ scorecard, data, outDir: out, cache: false, concurrency: 2 });
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  return { lines, summary, seconds: (Date.now() - started) / 1000 };
}

describe('hedge_after_ms in a run', () => {
  it('answers the hung item by its hedge: llm_calls 2, cost unknown and named hedged', async () => {
    const { lines, summary, seconds } = await runFour(
      '    timeout_ms: 2000\n    hedge_after_ms: 50\n',
    );
    expect(seconds).toBeLessThan(1.5); // the hung call's timeout alone is 2 s
    expect(lines).toHaveLength(4);
    expect(lines.every((line) => line.status === 'ok')).toBe(true);
    const hedged = lines.filter((line) => line.llm_calls === 2);
    expect(hedged).toHaveLength(1);
    expect(hedged[0]).toMatchObject({ cost_usd: null, retries: 0 });
    expect(hedged[0]!.unpriced_model).toContain('hedged');
    // The others: one request each, priced (gpt-4o-mini is in the price table).
    for (const line of lines.filter((other) => other !== hedged[0])) {
      expect(line.llm_calls).toBe(1);
      expect(typeof line.cost_usd).toBe('number');
      expect(line.unpriced_model).toBeUndefined();
    }
    // The server saw one request per llm_call: 4 answers, the hung one, its hedge.
    expect(server.stats.requests).toBe(5);
    // The run's cost is unknown too, and says why.
    expect(summary.llmCalls).toBe(5);
    expect(summary.costUsd).toBeNull();
    expect(summary.unpricedModels).toEqual([hedged[0]!.unpriced_model]);
    // gpt-4o-mini has a price: the words say its tokens are unknown, never "no price".
    const words = costText({ usd: null, unpricedModels: summary.unpricedModels, llmCalls: 5 });
    expect(words).toBe(
      'unknown (tokens unknown for openai gpt-4o-mini: a hedged call aborted a duplicate request)',
    );
  });

  it('is off by default: the hung item waits for its timeout, is retried, no duplicate sent', async () => {
    const { lines, seconds } = await runFour('    timeout_ms: 400\n');
    expect(seconds).toBeGreaterThanOrEqual(0.4);
    expect(lines.map((line) => line.llm_calls)).toEqual([1, 1, 1, 1]);
    expect(lines.filter((line) => line.retries === 1)).toHaveLength(1);
    expect(lines.every((line) => typeof line.cost_usd === 'number')).toBe(true);
    expect(server.stats.requests).toBe(5); // 4 answers and the hung request
  });

  it('refuses a bad value, a budget, and a local model, saying what to do', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-hedge-bad-'));
    await expect(card(folder, '    hedge_after_ms: fast\n')).rejects.toThrow(
      /hedge_after_ms: give 'auto'.*or whole milliseconds from 10 to 600000/,
    );
    await expect(card(folder, '    hedge_after_ms: 5\n')).rejects.toThrow(/from 10 to 600000/);
    await expect(
      card(folder, '    hedge_after_ms: auto\n    budget: { max_tokens: 1000 }\n'),
    ).rejects.toThrow(/a budget cannot count an aborted duplicate request/);
    await expect(card(folder, '    timeout_ms: 500\n    hedge_after_ms: 500\n')).rejects.toThrow(
      /500 ms is not below timeout_ms \(500 ms\), so no hedge could be sent/,
    );
  });
});
