// Answers cached by an earlier Plexus have no `finish_reason` nor token log-probabilities: a text
// answer cut at max_tokens was re-derived as complete (its reasoning's label taken), and the
// missing confidence was not explained. Here an earlier Plexus's cache is made from a real one by
// taking those fields off its stored answers (the log files, as an older version wrote them).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { mayBeCut } from './answer-notes.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const server = await startTestServer();
afterAll(() => server.close());

async function scoreWith(
  cacheDir: string,
  settings: Record<string, unknown>,
): Promise<ScoreOutputV1> {
  const score = JSON.stringify({
    name: 'S',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'test-model',
    base_url: server.url,
    prompt: 'Classify:\n{{ text }}',
    structured_output: false,
    max_corrections: 0,
    ...settings,
  });
  const card = await parseScorecard(`name: T\nscores:\n  - ${score}\n`, {
    file: '/tmp/older-cache.yaml',
    plugins: [plugin],
    cacheDir,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: 'a message [[label:spam]]', metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!;
}

/** A copy of a response cache as an earlier Plexus wrote it: no finish reason, no logprobs. */
function olderCopy(cacheDir: string): string {
  const older = mkdtempSync(join(tmpdir(), 'plexus-older-cache-'));
  const logs = join(cacheDir, 'llm-responses', 'log');
  mkdirSync(join(older, 'llm-responses', 'log'), { recursive: true });
  for (const name of readdirSync(logs)) {
    const lines = readFileSync(join(logs, name), 'utf8').split('\n').filter(Boolean);
    const stripped = lines.map((line) => {
      const tab = line.indexOf('\t');
      const { finishReason, cutAtMaxTokens, tokenLogprobs, ...kept } = JSON.parse(
        line.slice(tab + 1),
      );
      return `${line.slice(0, tab)}\t${JSON.stringify(kept)}`;
    });
    writeFileSync(join(older, 'llm-responses', 'log', name), `${stripped.join('\n')}\n`);
  }
  return older;
}

it('reads an older cached answer that used all max_tokens as possibly cut, and says why', async () => {
  // The text answer "The text points to spam.\nAnswer: spam" is 10 tokens: a cap of 6 cuts it
  // after "The text points to spam." (finish_reason: length).
  const fresh = mkdtempSync(join(tmpdir(), 'plexus-fresh-cache-'));
  server.resetStats();
  const cut = await scoreWith(fresh, { max_tokens: 6 });
  expect(cut).toMatchObject({ status: 'error', error: { code: 'invalid_answer' } });
  expect(cut.error!.message).toContain('cut at max_tokens (6) before it ended');
  expect(server.stats.requests).toBe(1);

  // The same answer from an earlier Plexus's cache: no request, and not read as complete (spam).
  const older = olderCopy(fresh);
  const reread = await scoreWith(older, { max_tokens: 6 });
  expect(server.stats.requests).toBe(1);
  expect(reread).toMatchObject({ status: 'error', value: null, usage: { calls: 0, cacheHits: 1 } });
  expect(reread.error!.message).toContain(
    'it may have been cut at max_tokens (6): it has no finish_reason (an answer cached by an earlier Plexus, or from an endpoint that sends none) and it used all 6 tokens; raise max_tokens',
  );
  expect(reread.trace).toMatchObject({
    answer_note:
      'no finish_reason (cached by an earlier Plexus), and it used 6 of 6 tokens: read as possibly cut at max_tokens',
  });
});

it('reads an older cached answer that ended on its own as complete, and says why it has no confidence', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'plexus-fresh-cache-'));
  server.resetStats();
  const answered = await scoreWith(fresh, { logprobs: true });
  expect(answered).toMatchObject({ status: 'ok', value: 'spam' });
  expect(answered.confidence).toBeCloseTo(0.9, 6);
  expect(answered.trace).not.toHaveProperty('answer_note');

  const reread = await scoreWith(olderCopy(fresh), { logprobs: true });
  expect(server.stats.requests).toBe(1);
  expect(reread).toMatchObject({ status: 'ok', value: 'spam', usage: { calls: 0, cacheHits: 1 } });
  expect(reread).not.toHaveProperty('confidence');
  expect(reread.trace).toMatchObject({
    answer_note:
      'no finish_reason (cached by an earlier Plexus): read as complete, it used 10 of 256 tokens; no confidence: no token log-probabilities (cached by an earlier Plexus, which kept only the last token’s)',
  });
});

it('reads an answer from an endpoint that sends no finish_reason the same way', async () => {
  const bare = await startTestServer({ finishReason: false, usage: false });
  try {
    const settings = (maxTokens: number) => ({
      base_url: bare.url,
      max_tokens: maxTokens,
      // A price of zero: the missing usage leaves the tokens unknown, not the cost.
      pricing: { input_per_million: 0, output_per_million: 0 },
    });
    // Without usage, an answer of fewer bytes than max_tokens used fewer tokens: complete.
    const short = await scoreWith(mkdtempSync(join(tmpdir(), 'plexus-bare-short-')), settings(256));
    expect(short).toMatchObject({ status: 'ok' });
    expect((short.trace as { answer_note: string }).answer_note).toMatch(
      /^no finish_reason \(the endpoint sent none\): read as complete, its token count is unknown, but its \d+ bytes are fewer than max_tokens \(256\)/,
    );
    expect(bare.stats.requests).toBe(1);
    // Not so with as many bytes as max_tokens: not even the tokens used tell whether it was cut.
    const cached = mkdtempSync(join(tmpdir(), 'plexus-bare-endpoint-'));
    const unsure = await scoreWith(cached, settings(4));
    expect(unsure).toMatchObject({ status: 'error', error: { code: 'invalid_answer' } });
    expect(unsure.error!.message).toContain(
      'it may have been cut at max_tokens (4): it has no finish_reason (an answer cached by an earlier Plexus, or from an endpoint that sends none) and its token count is unknown; raise max_tokens',
    );
    expect(unsure.trace).toMatchObject({
      answer_note:
        'no finish_reason (the endpoint sent none), and its token count is unknown: read as possibly cut at max_tokens',
    });
    // By hand: one request more, no correction (max_corrections: 0).
    expect(bare.stats.requests).toBe(2);
    // Cached by this Plexus, the answer still says its endpoint sent no finish_reason.
    const again = await scoreWith(cached, settings(4));
    expect(bare.stats.requests).toBe(2);
    expect(again.trace).toMatchObject({
      answer_note: (unsure.trace as { answer_note: string }).answer_note,
    });
  } finally {
    await bare.close();
  }
});

it('reads a whole JSON answer without finish_reason as complete: it closed after its label', async () => {
  const bare = await startTestServer({ finishReason: false, usage: false });
  try {
    const output = await scoreWith(mkdtempSync(join(tmpdir(), 'plexus-bare-json-')), {
      base_url: bare.url,
      structured_output: true,
      pricing: { input_per_million: 0, output_per_million: 0 },
    });
    expect(output).toMatchObject({ status: 'ok', value: 'spam' });
    expect((output.trace as { answer_note: string }).answer_note).toMatch(
      /^no finish_reason \(the endpoint sent none\): read as complete, (it holds a whole JSON object|its token count is unknown, but its \d+ bytes are fewer than max_tokens)/,
    );
  } finally {
    await bare.close();
  }
});

it('bounds an answer without usage by its bytes: a token is at least one byte', () => {
  const answer = (content: string) => ({
    content,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    finishReason: null,
    usageMissing: true,
  });
  // 14 bytes: fewer than 16 tokens' worth, so it ended on its own; 14 tokens may fill 14.
  expect(mayBeCut(answer('spam spam spam'), 16)).toBe(false);
  expect(mayBeCut(answer('spam spam spam'), 14)).toBe(true);
  // "é" is two bytes: 9 bytes, not 8 characters.
  expect(mayBeCut(answer('ham café'), 9)).toBe(true);
  expect(mayBeCut(answer('ham café'), 10)).toBe(false);
  // A whole JSON object ended with its closing brace, however long.
  expect(mayBeCut(answer('{"label": "spam"}'), 4)).toBe(false);
  // Usage known: its tokens say.
  expect(mayBeCut({ ...answer('spam'), usageMissing: false, outputTokens: 4 }, 4)).toBe(true);
});
