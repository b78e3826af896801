import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ScoreItemV1, type ScoreOutputV1 } from '@plexus/core';
import { describeScoreConformance } from '@plexus/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { classifierFactory } from './classifier-score.js';
import { lastLabel, parseLabel } from './label-parsing.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// A real HTTP server speaking the OpenAI protocol on loopback; the real `openai` SDK talks to it.
const server = await startTestServer({ seed: 11 });
const canary = 'sk-canary-DO-NOT-LEAK-1234567890';
process.env.PLEXUS_TEST_KEY = canary;

afterAll(() => server.close());
beforeEach(() => server.resetStats());

const base = {
  model: 'test-model',
  base_url: server.url,
  api_key_env: 'PLEXUS_TEST_KEY',
  prompt: 'Is this spam?\n{{ text }}',
};

describeScoreConformance('llm/classifier', {
  factory: classifierFactory,
  settings: base,
  otherSettings: { ...base, prompt: 'Is this ham?\n{{ text }}' },
  invalidSettings: { ...base, temperature: 5 },
  labels: ['spam', 'ham'],
});

async function scoreWith(
  settings: Record<string, unknown>,
  texts: string[],
  options: { labels?: string[]; cacheDir?: string } = {},
): Promise<ScoreOutputV1[]> {
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
}

describe('label parsing', () => {
  it('reads JSON answers and else the last label on word boundaries', () => {
    expect(parseLabel('{"reasoning": "free prize", "label": "SPAM"}', ['spam', 'ham'])).toBe(
      'spam',
    );
    expect(parseLabel('Not spam, it is a friend.\nAnswer: ham.', ['spam', 'ham'])).toBe('ham');
    expect(parseLabel('spammy hamster', ['spam', 'ham'])).toBeUndefined();
    expect(lastLabel('a lost card, or just any card', ['lost card', 'card'])).toBe('card');
    expect(lastLabel('card lost, then lost card replacement', ['lost card', 'card'])).toBe(
      'lost card',
    );
    expect(lastLabel('about a lost card', ['lost card', 'card'])).toBe('lost card');
  });
});

describe('llm/classifier against the test server', () => {
  it('answers with structured output, explanation, usage and cost', async () => {
    const outputs = await scoreWith({ pricing: { input_per_million: 1, output_per_million: 2 } }, [
      'WIN a prize [[spam]]',
      'lunch? [[ham]]',
    ]);
    expect(outputs.map((output) => output.value)).toEqual(['spam', 'ham']);
    expect(outputs[0]!.explanation).toBe('The text points to spam.');
    expect(outputs[0]!.usage).toMatchObject({ calls: 1 });
    expect(outputs[0]!.usage!.inputTokens).toBeGreaterThan(10);
    expect(outputs[0]!.usage!.costUsd).toBeCloseTo(
      (outputs[0]!.usage!.inputTokens! + 2 * outputs[0]!.usage!.outputTokens!) / 1e6,
      12,
    );
    expect(server.stats.requests).toBe(2);
  });

  it('parses the last label of a text answer when structured output is off, with confidence from logprobs', async () => {
    const [output] = await scoreWith({ structured_output: false, logprobs: true }, [
      '[[label:ham]] hello',
    ]);
    expect(output).toMatchObject({ value: 'ham', status: 'ok' });
    expect(output!.confidence).toBeCloseTo(0.9, 6);
  });

  it('corrects an invalid answer, and gives up after the bounded corrections keeping the raw answer', async () => {
    server.queueFaults('malformed');
    const [fixed] = await scoreWith({}, ['[[spam]]']);
    expect(fixed).toMatchObject({
      value: 'spam',
      status: 'ok',
      usage: { calls: 2 },
      trace: { corrections: 1 },
    });
    server.queueFaults('malformed', 'malformed', 'malformed');
    const [failed] = await scoreWith({ max_corrections: 2 }, ['[[spam]]']);
    expect(failed).toMatchObject({
      value: null,
      status: 'error',
      error: { code: 'invalid_answer' },
      usage: { calls: 3 },
    });
    expect(failed!.error!.message).toContain('last answer: "{\\"reasoning\\": \\"cut off"');
  });

  it('retries 500, 429, resets and cut answers, and never 401', async () => {
    server.queueFaults('500', '429', 'reset', 'cut');
    const [output] = await scoreWith({}, ['[[ham]]']);
    expect(output).toMatchObject({ value: 'ham', status: 'ok', trace: { attempts: 5 } });
    expect(server.stats.requests).toBe(5);
    server.resetStats();
    server.queueFaults('401');
    // A rejected key fails every call alike: the score throws an error that stops the run.
    await expect(scoreWith({}, ['[[ham]]'])).rejects.toMatchObject({
      stopsRun: true,
      code: 'auth',
      message: expect.stringMatching(/401: check your API key/),
    });
    expect(server.stats.requests).toBe(1);
  });

  it('allows --concurrency requests in flight unless the scorecard sets a lower max_concurrency', async () => {
    // Long enough that all allowed requests are in flight together even on a loaded machine.
    const slow = await startTestServer({ seed: 9, latencyMs: 200 });
    try {
      const folder = mkdtempSync(join(tmpdir(), 'plexus-llm-conc-'));
      const data = join(folder, 'items.csv');
      writeFileSync(
        data,
        `id,text\n${Array.from({ length: 60 }, (_, index) => `m${index},message ${index} [[ham]]`).join('\n')}\n`,
      );
      const inFlight = async (
        model: string,
        requestConcurrency: number,
        extra: Record<string, unknown> = {},
      ) => {
        slow.resetStats();
        const source = `name: C\nscores:\n  - ${JSON.stringify({ name: 'Spam', class: 'llm/classifier', labels: ['spam', 'ham'], ...base, base_url: slow.url, model, ...extra })}\n`;
        const card = await parseScorecard(source, {
          file: join(folder, 'card.yaml'),
          plugins: [plugin],
          cacheDir: folder,
          cache: false,
          requestConcurrency,
        });
        const summary = await evaluate({
          scorecard: card,
          data,
          outDir: join(folder, model),
          cache: false,
          concurrency: requestConcurrency,
        });
        expect(summary).toMatchObject({ status: 'completed', results: 60, errors: 0 });
        return slow.stats.maxInFlight;
      };
      expect(await inFlight('conc-a', 20)).toBe(20);
      expect(await inFlight('conc-b', 20, { max_concurrency: 5 })).toBe(5);
      expect(await inFlight('conc-c', 3, { max_concurrency: 5 })).toBe(3);
    } finally {
      await slow.close();
    }
  });

  it('stops the run at the first 401 instead of failing every item; the run resumes once fixed', async () => {
    const denying = await startTestServer({ seed: 5, faults: { '401': 1 } });
    try {
      const folder = mkdtempSync(join(tmpdir(), 'plexus-llm-401-'));
      const data = join(folder, 'items.csv');
      writeFileSync(
        data,
        `id,text\n${Array.from({ length: 500 }, (_, index) => `m${index},message ${index} [[ham]]`).join('\n')}\n`,
      );
      const source = `name: Denied\nscores:\n  - ${JSON.stringify({ name: 'Spam', class: 'llm/classifier', labels: ['spam', 'ham'], ...base, base_url: denying.url })}\n`;
      const card = await parseScorecard(source, {
        file: join(folder, 'card.yaml'),
        plugins: [plugin],
        cacheDir: folder,
      });
      const summary = await evaluate({
        scorecard: card,
        data,
        outDir: join(folder, 'run'),
        cache: false,
      });
      expect(summary.status).toBe('failed');
      expect(summary.error).toMatch(/401: check your API key/);
      // Only the calls already in flight reached the server, and no item was recorded as an error.
      expect(denying.stats.requests).toBeLessThanOrEqual(8);
      expect(summary.errors).toBe(0);
      const working = await parseScorecard(source.replace(denying.url, server.url), {
        file: join(folder, 'card.yaml'),
        plugins: [plugin],
        cacheDir: folder,
      });
      const resumed = await evaluate({
        scorecard: working,
        data,
        resumeDir: join(folder, 'run'),
        cache: false,
      });
      expect(resumed).toMatchObject({ status: 'completed', items: 500, results: 500, errors: 0 });
    } finally {
      await denying.close();
    }
  });

  it('times out a hanging request and retries it', async () => {
    server.queueFaults('hang');
    const [output] = await scoreWith({ timeout_ms: 300 }, ['[[spam]]']);
    expect(output).toMatchObject({ value: 'spam', trace: { attempts: 2 } });
  });

  it('never puts the API key in outputs', async () => {
    server.queueFaults('401');
    const denied = await scoreWith({}, ['[[spam]]']).catch((error: Error) => error);
    expect(`${(denied as Error).message} ${JSON.stringify(denied)}`).not.toContain('canary');
    server.queueFaults('malformed');
    const outputs = await scoreWith({ max_corrections: 0 }, ['[[spam]]', '[[ham]]']);
    expect(JSON.stringify(outputs)).not.toContain(canary);
    expect(JSON.stringify(outputs)).not.toContain('canary');
  });

  it('keeps answers, not errors, in the response cache: a warm re-run makes no call', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-llm-cache-'));
    const texts = Array.from({ length: 20 }, (_, index) => `message ${index}`);
    server.queueFaults('500');
    const cold = await scoreWith({ max_retries: 0 }, texts, { cacheDir });
    expect(cold.filter((output) => output.status === 'error')).toHaveLength(1);
    expect(server.stats.requests).toBe(20);
    server.resetStats();
    const warm = await scoreWith({ max_retries: 0 }, texts, { cacheDir });
    // Only the item whose call failed is asked again.
    expect(server.stats.requests).toBe(1);
    expect(warm.every((output) => output.status === 'ok')).toBe(true);
    expect(warm.map((output) => output.value)).toEqual(
      cold.map((output, index) => output.value ?? warm[index]!.value),
    );
    expect(warm.filter((output) => output.usage?.calls === 0)).toHaveLength(19);
    server.resetStats();
    await scoreWith({ prompt: 'Another question: {{ text }}' }, texts.slice(0, 2), { cacheDir });
    expect(server.stats.requests).toBe(2);
  });

  it('refuses templates that read files', async () => {
    const [output] = await scoreWith({ prompt: "{% include '/etc/passwd' %}{{ text }}" }, ['x']);
    expect(output).toMatchObject({ status: 'error' });
    expect(output!.error!.message).toMatch(/templates cannot read files|passwd/);
    expect(JSON.stringify(output)).not.toContain('root:');
  });
});

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
