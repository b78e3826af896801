import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard, type ResultLine } from '@plexus/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchApi } from './batch-api.js';
import { BatchCollector, customIdOf } from './batch-collector.js';
import { BatchRecord } from './batch-record.js';
import type { ChatRequest } from './chat-provider.js';
import { chatBody } from './openai-wire.js';
import { plugin } from './plugin.js';
import { callCost, modelPrice } from './pricing.js';
import { startTestServer } from './testing/openai-test-server.js';

// Real HTTP: chat calls and the Batch API (/v1/files, /v1/batches) on one loopback server.
const server = await startTestServer({ seed: 5, batch: { delayMs: 30 } });
process.env.PLEXUS_BATCH_TEST_KEY = 'sk-batch-test';
afterAll(() => server.close());
beforeEach(() => {
  server.resetStats();
  server.batches.batches.length = 0;
  server.batches.runsByCustomId.clear();
  server.batches.uploads = 0;
});

const folder = mkdtempSync(join(tmpdir(), 'plexus-batch-'));
let runs = 0;

function card(settings: Record<string, unknown>, options: { cache?: boolean } = {}) {
  const score = JSON.stringify({
    name: 'Spam',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'gpt-4o-mini',
    base_url: server.url,
    api_key_env: 'PLEXUS_BATCH_TEST_KEY',
    prompt: 'Is this spam?\n{{ text }}',
    batch_poll_ms: 10,
    ...settings,
  });
  return parseScorecard(`name: Batch\nscores:\n  - ${score}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: join(folder, `cache-${options.cache ? 'shared' : runs}`),
    cache: options.cache ?? false,
  });
}

function dataset(count: number, text = (index: number) => `message ${index}`): string {
  runs += 1;
  const path = join(folder, `items-${runs}.csv`);
  const rows = Array.from({ length: count }, (_, index) => `m${index},${text(index)}`);
  writeFileSync(path, `id,text\n${rows.join('\n')}\n`);
  return path;
}

function lines(dir: string): ResultLine[] {
  return readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
}

function run(scorecard: Awaited<ReturnType<typeof card>>, data: string, extra = {}) {
  runs += 1;
  return evaluate({
    scorecard,
    data,
    outDir: join(folder, `run-${runs}`),
    cache: false,
    ...extra,
  });
}

/** Every request the batches ran, and how often: a request submitted twice shows 2. */
function timesRun(): number[] {
  return [...server.batches.runsByCustomId.values()];
}

describe('execution: batch', () => {
  it('answers every item from one batch, like synchronous calls, at half their cost', async () => {
    const data = dataset(40);
    const sync = await run(await card({}), data);
    expect(server.stats.requests).toBe(40);
    server.resetStats();
    const batch = await run(await card({ execution: 'batch' }), data);
    // No chat call: one file, one batch of 40 requests.
    expect(server.stats.requests).toBe(0);
    expect(server.batches.uploads).toBe(1);
    expect(server.batches.batches).toHaveLength(1);
    expect(timesRun()).toEqual(Array(40).fill(1));
    const labels = (dir: string) =>
      Object.fromEntries(lines(dir).map((line) => [line.item_id, line.value]));
    expect(labels(batch.dir)).toEqual(labels(sync.dir));
    expect(batch.errors).toBe(0);
    // Half the synchronous cost, and that cost computed from the tokens at the table's price.
    const tokens = lines(sync.dir).map((line) => ({
      input: line.input_tokens,
      output: line.output_tokens,
    }));
    const price = modelPrice({ provider: 'openai', model: 'gpt-4o-mini' });
    const expected = tokens.reduce((sum, call) => sum + (callCost(price, call) ?? 0), 0);
    expect(sync.costUsd).toBeCloseTo(expected, 12);
    expect(batch.costUsd).toBeCloseTo(expected / 2, 12);
    // The batch's ids are in the run folder: uploaded, submitted, ended.
    const record = readFileSync(join(batch.dir, 'batches.jsonl'), 'utf8').trim().split('\n');
    expect(record.map((line) => JSON.parse(line).event)).toEqual([
      'uploaded',
      'submitted',
      'ended',
    ]);
    expect(JSON.parse(record[2]!)).toMatchObject({
      batch_id: 'batch_1',
      status: 'completed',
      completed: 40,
    });
  });

  it('hands a batch score more items than the default window (256) at once: one batch of 600', async () => {
    const summary = await run(await card({ execution: 'batch' }), dataset(600));
    expect(summary.errors).toBe(0);
    expect(server.batches.batches.map((batch) => batch.counts.total)).toEqual([600]);
  });

  it('keeps the answers an expired batch finished; --retry-errors sends the rest in a new batch', async () => {
    const data = dataset(30);
    server.batches.options.outcomes = ['expired'];
    server.batches.options.answeredBeforeEnd = 12;
    try {
      const first = await run(await card({ execution: 'batch' }), data);
      const stored = lines(first.dir);
      expect(stored.filter((line) => line.status === 'ok')).toHaveLength(12);
      const expired = stored.filter((line) => line.status === 'error');
      expect(expired).toHaveLength(18);
      expect(expired[0]!.error).toMatchObject({ code: 'batch_expired' });
      expect(expired[0]!.error?.message).toMatch(/completion window expired/);
      const retried = await evaluate({
        scorecard: await card({ execution: 'batch' }),
        resumeDir: first.dir,
        retryErrors: true,
        cache: false,
      });
      expect(retried.errors).toBe(0);
      expect(server.batches.batches).toHaveLength(2);
      expect(server.batches.batches[1]!.counts.total).toBe(18);
      // No request ran twice: the 12 finished ones were kept.
      expect(timesRun()).toEqual(Array(30).fill(1));
    } finally {
      server.batches.options.outcomes = undefined;
      server.batches.options.answeredBeforeEnd = undefined;
    }
  });

  it('never submits an item whose answer is in the response cache', async () => {
    const data = dataset(20);
    await run(await card({}, { cache: true }), data);
    const more = dataset(30);
    server.resetStats();
    const batch = await run(await card({ execution: 'batch' }, { cache: true }), more);
    expect(batch.errors).toBe(0);
    expect(server.batches.batches).toHaveLength(1);
    expect(server.batches.batches[0]!.counts.total).toBe(10);
    expect(lines(batch.dir).filter((line) => line.llm_calls === 0)).toHaveLength(20);
  });

  it('sends the corrective retries of invalid answers as a follow-up batch', async () => {
    const bad = new Set([3, 7, 11]);
    const data = dataset(16, (index) => `message ${index}${bad.has(index) ? ' [[vague]]' : ''}`);
    const vague = await startTestServer({
      batch: { delayMs: 10 },
      answer: ({ text }) =>
        text.includes('[[vague]]') && !text.includes('none of the labels')
          ? 'hard to say'
          : undefined,
    });
    try {
      const scorecard = await card({
        execution: 'batch',
        structured_output: false,
        base_url: vague.url,
      });
      const summary = await run(scorecard, data);
      expect(summary.errors).toBe(0);
      expect(vague.batches.batches.map((batch) => batch.counts.total)).toEqual([16, 3]);
      const corrected = lines(summary.dir).filter((line) => bad.has(Number(line.item_id.slice(1))));
      expect(corrected.map((line) => (line.trace as { corrections: number }).corrections)).toEqual([
        1, 1, 1,
      ]);
    } finally {
      await vague.close();
    }
  });

  it('runs an llm/graph node by node: one batch per wave', async () => {
    const graph = JSON.stringify({
      name: 'Waves',
      class: 'llm/graph',
      labels: ['spam', 'ham'],
      model: 'gpt-4o-mini',
      base_url: server.url,
      api_key_env: 'PLEXUS_BATCH_TEST_KEY',
      execution: 'batch',
      batch_poll_ms: 10,
      nodes: [
        { name: 'first', type: 'classifier', prompt: 'First: {{ text }}', labels: ['spam', 'ham'] },
        {
          name: 'second',
          type: 'classifier',
          prompt: 'Second: {{ text }} after {{ nodes.first.value }}',
          labels: ['spam', 'ham'],
        },
      ],
      output: { value: '{{ nodes.second.value }}' },
    });
    const scorecard = await parseScorecard(`name: Graph\nscores:\n  - ${graph}\n`, {
      file: join(folder, 'graph.yaml'),
      plugins: [plugin],
      cacheDir: join(folder, 'cache-graph'),
      cache: false,
    });
    const summary = await run(scorecard, dataset(12));
    expect(summary.errors).toBe(0);
    expect(server.batches.batches.map((batch) => batch.counts.total)).toEqual([12, 12]);
    const first = server.batches.files.get(server.batches.batches[0]!.inputFileId)!.content;
    expect(first.match(/First: /g)).toHaveLength(12);
    expect(first).not.toContain('Second: ');
  });

  it('gives every item of a failed batch its error, naming the batch', async () => {
    server.batches.options.outcomes = ['failed'];
    try {
      const summary = await run(await card({ execution: 'batch' }), dataset(5));
      expect(summary.errors).toBe(5);
      expect(lines(summary.dir)[0]!.error).toMatchObject({ code: 'batch_failed' });
      expect(lines(summary.dir)[0]!.error?.message).toMatch(/batch batch_1 failed/);
    } finally {
      server.batches.options.outcomes = undefined;
    }
  });

  it('after a kill between the upload and the batch: finds the batch made from the file, or makes it', async () => {
    const api = new BatchApi({ baseUrl: server.url, apiKeyEnv: 'PLEXUS_BATCH_TEST_KEY' });
    const request = (text: string): ChatRequest => ({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `${text}\nLabels: spam, ham` }],
      temperature: 0,
      maxTokens: 50,
      logprobs: false,
    });
    const line = (text: string) =>
      `${JSON.stringify({ custom_id: customIdOf(request(text)), method: 'POST', url: '/v1/chat/completions', body: chatBody(request(text)) })}\n`;
    for (const made of [true, false]) {
      const fileId = await api.upload(line(`made ${made}`), 'killed.jsonl');
      if (made) await api.create(fileId, 'before-the-kill');
      const before = server.batches.batches.length;
      const path = join(folder, `batches-${made}.jsonl`);
      const record = new BatchRecord(path);
      record.append({
        event: 'uploaded',
        scope: 'test',
        tag: `tag-${made}`,
        file_id: fileId,
        custom_ids: [customIdOf(request(`made ${made}`))],
      });
      const collector = new BatchCollector({
        api,
        record,
        scope: 'test',
        model: 'gpt-4o-mini',
        pollMs: 10,
        log: () => {},
      });
      const answer = await collector.complete(
        request(`made ${made}`),
        new AbortController().signal,
      );
      expect(answer.content).toMatch(/Answer: (spam|ham)/);
      // One batch for the file either way; no second upload.
      expect(server.batches.batches.length).toBe(made ? before : before + 1);
      expect(server.batches.uploads).toBe(made ? 1 : 2);
      expect(record.open('test')).toEqual([]);
    }
  });

  it('is refused at load for a provider without a Batch API', async () => {
    await expect(card({ execution: 'batch', provider: 'huggingface' })).rejects.toThrow(
      /batch needs provider: openai/,
    );
  });
});
