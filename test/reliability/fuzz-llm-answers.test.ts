// Fuzzed LLM answers, over real HTTP from the project's OpenAI-compatible test server: empty,
// huge, broken JSON, labels in another case, with punctuation or in another language. Every item
// ends with exactly one result: `ok` with a declared label, or `error` (invalid_answer) keeping
// the last answer; nothing is lost and no answer leaks more than 300 characters into a message.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { evaluate, loadScorecard, type ResultLine } from '@plexus/core';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'plexus-fuzz-answers-'));
/** The answer the server gives for item i (the same on every retry: a model stuck on it). */
let answers: string[] = [];
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    answer: ({ text }) => {
      const match = /item-\d+-(\d+)/.exec(text);
      return match ? answers[Number(match[1])] : undefined;
    },
  });
  process.env.FUZZ_KEY = 'fuzz-key';
});
afterAll(() => server?.close());

/** What a valid answer should become, or undefined for an answer that must end as an error. */
type Answer = { content: string; label: string | undefined };
const json = (value: unknown) => JSON.stringify(value);
const answer: fc.Arbitrary<Answer> = fc.oneof(
  fc
    .constantFrom('spam', 'ham')
    .map((label) => ({ content: json({ reasoning: 'r', label }), label })),
  fc
    .constantFrom(['SPAM', 'spam'], [' Ham ', 'ham'], ['Spam.', 'spam'])
    .map(([written, label]) => ({
      content: json({ reasoning: 'r', label: written }),
      label,
    })),
  fc
    .constantFrom('', ' ', '{"label": ', 'null', '[]', '{"label": 1}', '{"reasoning": "x"}')
    .map((content) => ({ content, label: undefined })),
  fc.constantFrom('correo no deseado', 'スパム', 'maybe', 'spam or ham').map((written) => ({
    content: json({ reasoning: 'r', label: written }),
    label: undefined,
  })),
  fc.constant({ content: `{"reasoning": "${'z'.repeat(1_000_000)}`, label: undefined }),
  fc
    .string({ maxLength: 40 })
    .filter((text) => !/spam|ham/i.test(text))
    .map((content) => ({ content, label: undefined })),
);

it('every item ends with one result: a declared label, or an error keeping the last answer', async () => {
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    `name: Fuzzed Answers\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: fuzz, base_url: "${server.url}", api_key_env: FUZZ_KEY, max_corrections: 1, prompt: "Spam? {{ text }}" }\n`,
  );
  const scorecard = await loadScorecard(card, { plugins: [llm], cacheDir: join(dir, 'cache') });
  let run = 0;
  let expectedCalls = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 25 }), async (generated) => {
      answers = generated.map((entry) => entry.content);
      expectedCalls += generated.reduce((sum, entry) => sum + (entry.label ? 1 : 2), 0);
      const data = join(dir, `items-${run}.jsonl`);
      writeFileSync(
        data,
        `${generated.map((_, index) => json({ id: `i${index}`, text: `item-${run}-${index}` })).join('\n')}\n`,
      );
      run += 1;
      const outDir = join(dir, `run-${run}`);
      const summary = await evaluate({ scorecard, data, outDir, cache: false });
      const lines = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text) as ResultLine);
      expect(summary.status).toBe('completed');
      expect(lines.map((line) => line.item_id).sort()).toEqual(
        generated.map((_, index) => `i${index}`).sort(),
      );
      for (const line of lines) {
        const expected = generated[Number(line.item_id.slice(1))]!;
        if (expected.label) expect(line).toMatchObject({ status: 'ok', value: expected.label });
        else {
          expect(line).toMatchObject({
            status: 'error',
            value: null,
            error: { code: 'invalid_answer' },
          });
          expect(line.error!.message).toMatch(/gave no valid label after 2 answers; last answer: /);
          expect(line.error!.message.length).toBeLessThan(600);
        }
      }
    }),
    { numRuns: 120, seed: 31 },
  );
  // One call for each valid answer; two for each invalid one (the answer, one correction).
  expect(server.stats.requests).toBe(expectedCalls);
}, 600_000);
