// Answers the reader took a label from that they do not state: a first-line label word that starts
// a sentence continued on the next line ("Spam\nfilters would catch it, but this one is ham" gave
// spam), a label asked about ("Spam?\nNo, ..." gave spam: the `?` was dropped when matching) and a
// JSON label written 1.0 (read as "1"). Each gives the label it states or an error saying why.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { answerReading, readLabel } from './label-parsing.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const spamHam = ['spam', 'ham'];

describe('readLabel: a label word that begins a sentence, or is asked about, is not the answer', () => {
  it('reads a first line alone as the answer, whatever case the explanation below starts in', () => {
    // A small model's usual answer: the label, then why in lower case (with the other label in a
    // negation). A rule that read such a first line as a sentence going on gave spam here.
    expect(readLabel('ham\nit is a normal message, not spam', spamHam)).toEqual({ label: 'ham' });
    expect(
      readLabel('No\nthe customer never asks for the card number, so not Yes', ['Yes', 'No']),
    ).toEqual({ label: 'No' });
    // The rare sentence starting with a label word on its own line reads as that label.
    expect(readLabel('Spam\nfilters would catch it, but this one is ham', spamHam)).toEqual({
      label: 'spam',
    });
    // A first line that ends its sentence, or is followed by a new one, is still the answer.
    expect(readLabel('ham\nIt is a note from a friend, not spam.', spamHam)).toEqual({
      label: 'ham',
    });
    expect(readLabel('Spam.\nit offers a prize, not a note from a friend (ham)', spamHam)).toEqual({
      label: 'spam',
    });
  });

  it('takes no label from a question', () => {
    expect(readLabel('Spam?\nNo, it is a note from a friend.', spamHam)).toEqual({
      problem: 'it names a label only in a question: "Spam?"',
    });
    expect(readLabel('**Spam?**\nNo.', spamHam)).toEqual({
      problem: 'it names a label only in a question: "**Spam?**"',
    });
    // The answer after the question is read.
    expect(readLabel('Is it spam or ham? Ham.', spamHam)).toEqual({ label: 'ham' });
    expect(readLabel('It is spam.\nShall I say why it is spam?', spamHam)).toEqual({
      label: 'spam',
    });
    expect(readLabel('Is "spam"?! No: ham.', spamHam)).toEqual({ label: 'ham' });
    // After an answer marker too: "Answer: spam?" weighs spam, the next line answers.
    expect(readLabel('Answer: **spam**?\nNo, it is from a friend: ham.', spamHam)).toEqual({
      label: 'ham',
    });
    expect(readLabel('Label: spam?', spamHam)).toEqual({
      problem: 'it names a label only in a question: "Label: spam?"',
    });
  });

  it('reads a JSON number label as it is written: 1.0 is not the label 1', () => {
    expect(readLabel('{"label": 1.0, "reasoning": "positive"}', ['0', '1'])).toEqual({
      problem: 'its JSON label 1.0 is not one of the labels',
    });
    expect(readLabel('{"reasoning": "x", "label": 1}', ['0', '1'])).toEqual({ label: '1' });
    expect(readLabel('{"label": 0.5}', ['0.5', '1'])).toEqual({ label: '0.5' });
    expect(readLabel('{"label": 1e0}', ['0', '1'])).toEqual({
      problem: 'its JSON label 1e0 is not one of the labels',
    });
  });

  it('takes no label from a cut answer that asks', () => {
    const cut = answerReading({ content: 'Spam?', cutAtMaxTokens: true } as never, spamHam, 2);
    expect(cut).toEqual({
      problem: 'it was cut at max_tokens (2) before it ended: raise max_tokens',
    });
  });

  it('is linear on a long line of questions and labels', () => {
    const line = 'spam '.repeat(100_000);
    const started = process.cpuUsage();
    expect(readLabel(`${line}?`, spamHam)).toEqual({
      problem: expect.stringContaining('it names a label only in a question'),
    });
    expect(readLabel(`${'spam? '.repeat(100_000)}ham.`, spamHam)).toEqual({ label: 'ham' });
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(2);
  });
});

const scripted = new Map<string, string>();
const server = await startTestServer({
  answer: ({ text }) => scripted.get(/\[\[say:(\w+)\]\]/.exec(text)?.[1] ?? ''),
});
afterAll(() => server.close());

async function scoreOne(answer: string, labels: string[]) {
  const key = `k${scripted.size}`;
  scripted.set(key, answer);
  const score = JSON.stringify({
    name: 'S',
    class: 'llm/classifier',
    labels,
    model: 'test-model',
    base_url: server.url,
    prompt: 'Classify:\n{{ text }}',
    structured_output: false,
    max_corrections: 0,
  });
  const card = await parseScorecard(`name: T\nscores:\n  - ${score}\n`, {
    file: '/tmp/label-questions.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-questions-')),
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: '1', text: `a message [[say:${key}]]`, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!;
}

it('over HTTP: each answer gives the label it states, or an invalid_answer error saying why', async () => {
  server.resetStats();
  expect(await scoreOne('ham\nit is a normal message, not spam', spamHam)).toMatchObject({
    status: 'ok',
    value: 'ham',
  });
  const asked = await scoreOne('Spam?\nNo, it is a note from a friend.', spamHam);
  expect(asked).toMatchObject({ status: 'error', value: null, error: { code: 'invalid_answer' } });
  expect(asked.error!.message).toContain('(why: it names a label only in a question: "Spam?")');
  const number = await scoreOne('{"label": 1.0, "reasoning": "positive"}', ['0', '1']);
  expect(number).toMatchObject({ status: 'error', error: { code: 'invalid_answer' } });
  expect(number.error!.message).toContain('its JSON label 1.0 is not one of the labels');
  // By hand: three items, one request each (no corrections).
  expect(server.stats.requests).toBe(3);
});
