import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { classifierKit } from './llm-test-kit.js';
import { plugin } from './plugin.js';

// llm/classifier budgets and chunking against the real test server (see llm.test.ts).
const { server, base, scoreWith } = await classifierKit(11);

afterAll(() => server.close());
beforeEach(() => server.resetStats());

describe('budgets', () => {
  // Each call reserves its worst case, about 140 tokens here (input counted, 16 of output).
  const limited = { model: 'budget-model', max_concurrency: 1, max_tokens: 16 };

  it("stops a score's calls once its budget is spent; the other items are reported, not scored", async () => {
    const outputs = await scoreWith({ ...limited, budget: { max_tokens: 200 } }, [
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(outputs.map((output) => output.status)).toEqual(['ok', 'error', 'error', 'error']);
    expect(server.stats.requests).toBe(1);
    const used = outputs[0]!.usage!.inputTokens! + outputs[0]!.usage!.outputTokens!;
    expect(used).toBeLessThanOrEqual(200);
    expect(outputs[1]!.error).toMatchObject({ code: 'budget_exhausted', retryable: false });
    expect(outputs[1]!.error!.message).toMatch(
      /not scored: the score budget of 200 tokens is spent \(\d+ spent; a call may use up to \d+\)/,
    );
  });

  it('starts no call when the budget cannot hold one call at its worst', async () => {
    const outputs = await scoreWith({ ...limited, budget: { max_tokens: 1 } }, ['a', 'b']);
    expect(outputs.map((output) => output.error?.code)).toEqual([
      'budget_exhausted',
      'budget_exhausted',
    ]);
    expect(server.stats.requests).toBe(0);
    expect(outputs[0]!.error!.message).toMatch(
      /the score budget of 1 tokens is smaller than one call at its worst \(up to \d+ tokens: lower max_tokens or raise the budget\)/,
    );
  });

  it("shares the run's budget between scores", async () => {
    const score = (name: string) =>
      JSON.stringify({
        name,
        class: 'llm/classifier',
        labels: ['spam', 'ham'],
        ...base,
        model: 'budget-run-model',
        prompt: `${name}: is this spam?\n{{ text }}`,
        max_concurrency: 1,
        max_tokens: 16,
        pricing: { input_per_million: 1000, output_per_million: 1000 },
      });
    const card = await parseScorecard(`name: T\nscores:\n  - ${score('A')}\n  - ${score('B')}\n`, {
      file: '/tmp/llm.yaml',
      plugins: [plugin],
      cacheDir: mkdtempSync(join(tmpdir(), 'plexus-llm-')),
      runBudget: { maxUsd: 0.2 },
    });
    const run = (index: number) =>
      card.scores[index]!.score!.doScore({
        items: ['x', 'y'].map((text) => ({ id: text, text, metadata: {}, results: {} })),
        signal: new AbortController().signal,
        context: { scorecard: 'T' },
      });
    const first = await run(0);
    const second = await run(1);
    expect(first.map((output) => output.status)).toEqual(['ok', 'error']);
    expect(second.map((output) => output.status)).toEqual(['error', 'error']);
    expect(second[0]!.error!.message).toMatch(/the run budget of \$0.2 is spent/);
    expect(server.stats.requests).toBe(1);
  });
});

describe('llm/classifier on long texts (chunking)', () => {
  // [[no]] all along, [[yes]] once near the end: the server answers yes for the chunks with it.
  const words = Array.from({ length: 600 }, (_, index) =>
    index % 20 === 0 ? '[[no]]' : `w${index}`,
  );
  words.splice(560, 0, '[[yes]]');
  const text = words.join(' ');
  const chunking = { max_tokens: 200, overlap: 20 };

  it('asks once per token window and combines the labels as told, keeping every chunk in the trace', async () => {
    const count = (await splitTokens(text, 200, 20)).length;
    expect(count).toBeGreaterThan(3);
    const combined: Record<string, string | null> = {};
    for (const combine of ['any', 'all', 'majority', 'first']) {
      server.resetStats();
      const [output] = await scoreWith({ chunking: { ...chunking, combine } }, [text], {
        labels: ['yes', 'no'],
      });
      expect(server.stats.requests).toBe(count);
      expect(output!.usage?.calls).toBe(count);
      const chunks = (output!.trace as { chunks: { chunk: number; label: string }[] }).chunks;
      expect(chunks.map((chunk) => chunk.chunk)).toEqual([...Array(count).keys()]);
      expect(chunks.at(-1)!.label).toBe('yes');
      expect(chunks[0]!.label).toBe('no');
      combined[combine] = output!.value;
    }
    expect(combined).toEqual({ any: 'yes', all: 'no', majority: 'no', first: 'no' });
  });

  it('rejects an overlap as large as the window and an unknown positive label', async () => {
    await expect(
      scoreWith({ chunking: { max_tokens: 50, overlap: 50, combine: 'any' } }, ['x']),
    ).rejects.toThrow(/overlap must be smaller than max_tokens/);
    await expect(
      scoreWith({ chunking: { max_tokens: 50, combine: 'any', positive_label: 'maybe' } }, ['x']),
    ).rejects.toThrow(/chunking.positive_label.*maybe is not one of the labels/s);
  });
});
