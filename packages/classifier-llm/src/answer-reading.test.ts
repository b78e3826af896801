// Answers a model should not give, over real HTTP from the test server: each gives the label it
// states or an `invalid_answer` error saying why, never a label guessed from its reasoning.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScorecard, type ScoreItemV1, type ScoreOutputV1 } from '@plexus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLabel } from './label-parsing.js';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

/** The answer for a text marked `[[say:KEY]]`. */
const scripted = new Map<string, string>();
const keyOf = (text: string) => /\[\[say:(\w+)\]\]/.exec(text)?.[1];
const server = await startTestServer({
  // A model that mends an answer once told it named two labels.
  answer: ({ text }) =>
    text.includes('names 2 (spam, ham)') ? 'Answer: ham' : scripted.get(keyOf(text) ?? ''),
  refusal: ({ text }) => (text.includes('[[refuse]]') ? "I can't help with that." : undefined),
});
afterAll(() => server.close());

/** One item's output, its text answered by the server (a `[[say:KEY]]` text by its script). */
async function scoreText(
  text: string,
  labels: string[],
  settings: Record<string, unknown> = {},
): Promise<ScoreOutputV1> {
  const score = JSON.stringify({
    name: 'S',
    class: 'llm/classifier',
    labels,
    model: 'test-model',
    base_url: server.url,
    prompt: 'Classify:\n{{ text }}',
    max_corrections: 0,
    ...settings,
  });
  const card = await parseScorecard(`name: T\nscores:\n  - ${score}\n`, {
    file: '/tmp/answer-reading.yaml',
    plugins: [plugin],
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-answers-')),
    cache: false,
  });
  const item: ScoreItemV1 = { id: '1', text, metadata: {}, results: {} };
  const [output] = await card.scores[0]!.score!.doScore({
    items: [item],
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return output!;
}

/** One item whose answer is `answer`. */
function scoreOne(answer: string, labels: string[], settings: Record<string, unknown> = {}) {
  const key = `k${scripted.size}`;
  scripted.set(key, answer);
  return scoreText(`a message [[say:${key}]]`, labels, settings);
}

const spamHam = ['spam', 'ham'];

describe('an answer gives the label it states, or an error saying why', () => {
  // By hand: what each answer states. Before, every one of the errors below was a label.
  const stated: [string, string[], string][] = [
    ['```json\n{"label": "ham", "reasoning": "no spam words"}\n```', spamHam, 'ham'],
    ['Sure. {"label": "ham", "reasoning": "not spam"} Hope this helps!', spamHam, 'ham'],
    ['<think>It could be spam.</think>\nham', spamHam, 'ham'],
    ['It is not spam.\nAnswer: ham', spamHam, 'ham'],
    ['Not spam, it is a friend. **Answer:** ham.', spamHam, 'ham'],
    ['The caller asked twice.\nyes, partly', ['yes', 'yes, partly', 'no'], 'yes, partly'],
    ['SPAM!', spamHam, 'spam'],
    ['{"reasoning": "un café", "label": "Café"}', ['café', 'thé'], 'café'],
    // The accent as a combining character (NFD), as some models and keyboards write it.
    ['Réponse : un cafe\u0301.\nAnswer: Cafe\u0301', ['café', 'thé'], 'café'],
  ];
  for (const [answer, labels, label] of stated)
    it(`${JSON.stringify(answer)} gives ${label}`, async () => {
      for (const structured of [true, false])
        expect(await scoreOne(answer, labels, { structured_output: structured })).toMatchObject({
          value: label,
          status: 'ok',
        });
    });

  const refused: [string, string][] = [
    ['{"reasoning": "it says spam twice and is long, so', 'its JSON is cut short or invalid'],
    ['{"reasoning": "looks like spam", "label": null}', 'its JSON label null is not one of'],
    ['```json\n{"reasoning": "spam?", "label": "maybe"}\n```', 'its JSON label "maybe" is not'],
    ['{"reasoning": "spam, clearly"}', 'its JSON has no "label"'],
    ['<think>Probably ham, but</think>I cannot tell.', 'it names none of the labels'],
    ['<think>Spam or ham? The text says', 'an unfinished <think> block'],
    ['It is ham, not spam.', 'names 2 (ham, spam)'],
    ['spam or ham', 'names 2 (spam, ham)'],
    ['', 'it names none of the labels'],
  ];
  for (const [answer, problem] of refused)
    it(`${JSON.stringify(answer)} is an error: ${problem}`, async () => {
      const output = await scoreOne(answer, spamHam, { structured_output: false });
      expect(output).toMatchObject({ value: null, status: 'error' });
      expect(output.error).toMatchObject({ code: 'invalid_answer' });
      expect(output.error!.message).toContain(problem);
      // The raw answer is kept for the reader.
      expect(output.trace).toMatchObject({ answers: [answer] });
    });

  it('reads a huge answer in linear time (a hostile server can send any size)', () => {
    // 1.1 MB of "answer: x" markers with no label after them, and one at the end.
    const markers = 'answer: x\n'.repeat(110_000);
    const started = process.cpuUsage();
    expect(parseLabel(`${markers}Answer: ham`, spamHam)).toBe('ham');
    expect(parseLabel(markers, spamHam)).toBeUndefined();
    const cpu = process.cpuUsage(started);
    // CPU seconds, measured: well under one (a search of the rest after each marker took 10).
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(2);
  });

  it('explains with the JSON reasoning wherever the JSON is, and without the <think> block', async () => {
    const fenced = '```json\n{"label": "ham", "reasoning": "no spam words"}\n```';
    expect((await scoreOne(fenced, spamHam)).explanation).toBe('no spam words');
    const thinking = `<think>${'weighing it. '.repeat(20)}</think>\nham, a note from a friend`;
    expect((await scoreOne(thinking, spamHam)).explanation).toBe('ham, a note from a friend');
  });

  it('an answer cut at max_tokens (finish_reason length) is an error, not a label from its reasoning', async () => {
    // The server's structured answer is {"reasoning":"The text points to spam.","label":"spam"}:
    // 15 tokens at 4 characters each; a cap of 10 cuts it after 40 characters, in the reasoning.
    const text = 'a message [[label:spam]]';
    const cut = await scoreText(text, spamHam, { max_tokens: 10 });
    expect(cut).toMatchObject({ value: null, status: 'error', error: { code: 'invalid_answer' } });
    expect(cut.error!.message).toContain(
      'cut at max_tokens (10) before it ended: raise max_tokens',
    );
    expect(cut.trace).toMatchObject({ answers: ['{"reasoning":"The text points to spam.",'] });
    // The same answer uncut gives its label.
    expect(await scoreText(text, spamHam, { max_tokens: 256 })).toMatchObject({ value: 'spam' });
  });

  it('a correction says why the answer gave no label, and the model mends it', async () => {
    // The model names two labels; told so (not "none of the labels"), it answers with one.
    const output = await scoreOne('spam or ham', spamHam, {
      structured_output: false,
      max_corrections: 1,
    });
    expect(output).toMatchObject({ value: 'ham', status: 'ok', usage: { calls: 2 } });
  });

  it('lists labels holding a comma quoted, so the prompt names three labels, not four', async () => {
    const labels = ['yes', 'yes, partly', 'no'];
    const output = await scoreText('[[label:yes, partly]] the caller asked twice', labels, {
      structured_output: false,
    });
    expect(output).toMatchObject({ value: 'yes, partly', status: 'ok' });
    const [call] = (output.trace as { prompts: { messages: { content: string }[] }[] }).prompts;
    expect(call!.messages[0]!.content).toMatch(/Labels: "yes", "yes, partly", "no"$/);
  });

  it('a refusal (OpenAI message.refusal) is an error quoting it, after its correction', async () => {
    const refused = await scoreText('a message [[refuse]]', spamHam, { max_corrections: 1 });
    expect(refused).toMatchObject({ value: null, status: 'error', usage: { calls: 2 } });
    expect(refused.error!.message).toContain(`the model refused: "I can't help with that."`);
  });
});
