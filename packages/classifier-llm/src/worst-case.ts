import { type ChatRequest, labelResponseFormat } from './chat-provider.js';

/**
 * Input tokens are counted with o200k_base (the tokenizer of OpenAI's gpt-4o, gpt-4.1, gpt-5
 * and o-series models) and raised by this factor, for models whose tokenizer counts more.
 */
export const inputMargin = 1.25;
/** Tokens OpenAI adds around each message (role and separators), and to start the answer. */
const perMessage = 4;
const perRequest = 3;

type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;

/** The tokenizer, loaded at the first budgeted call (its tables take about 0.2 s to build). */
function tokenCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then(
    ({ countTokens }) =>
      // Text that spells a special token (`<|endoftext|>`) is counted as text, never refused.
      (text: string) =>
        countTokens(text, { disallowedSpecial: new Set() }),
  );
  return counter;
}

/**
 * The most tokens a request can use: its messages and label schema counted with the
 * tokenizer (plus framing, times `inputMargin`), and `maxTokens` of output, the cap sent with
 * the request (every LLM score sends one: `max_tokens`, default 256).
 */
export async function worstCaseTokens(
  request: Pick<ChatRequest, 'messages' | 'labels' | 'maxTokens'>,
): Promise<{ input: number; output: number }> {
  const count = await tokenCounter();
  let input = perRequest;
  for (const message of request.messages) input += perMessage + count(message.content);
  if (request.labels) input += count(JSON.stringify(labelResponseFormat(request.labels)));
  return { input: Math.ceil(input * inputMargin), output: request.maxTokens };
}
