import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard } from '@plexus/core';
import { describeScoreConformance } from '@plexus/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classifierFactory } from './classifier-score.js';
import { lastLabel, parseLabel } from './label-parsing.js';
import { canary, classifierKit } from './llm-test-kit.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

// llm/classifier against a real HTTP server speaking the OpenAI protocol on loopback (the real
// `openai` SDK talks to it too); budgets and chunking are in llm-budgets.test.ts, load and faults
// in llm-faults.test.ts.
const { server, base, scoreWith } = await classifierKit(11);

afterAll(() => server.close());
beforeEach(() => server.resetStats());

describeScoreConformance('llm/classifier', {
  factory: classifierFactory,
  settings: base,
  otherSettings: { ...base, prompt: 'Is this ham?\n{{ text }}' },
  invalidSettings: { ...base, temperature: 5 },
  labels: ['spam', 'ham'],
});

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
