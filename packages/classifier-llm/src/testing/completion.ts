import { createHash } from 'node:crypto';
import type { ChatBody, Fault } from './chat-body.js';
import type { TestServerOptions } from './test-server-types.js';

function textOf(body: ChatBody): string {
  return (body.messages ?? [])
    .filter((message) => message.role === 'user')
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
    )
    .join('\n');
}

/** The labels asked for; empty for a free answer (an extraction). */
function labelsOf(body: ChatBody, text: string): string[] {
  const fromSchema = body.response_format?.json_schema?.schema?.properties?.label?.enum;
  if (fromSchema && fromSchema.length > 0) return fromSchema;
  const listed = /Labels?:\s*([^\n]+)/i.exec(text)?.[1];
  if (!listed) return [];
  if (listed.startsWith('"')) {
    try {
      return (JSON.parse(`[${listed}]`) as unknown[]).map(String); // quoted: labels with commas
    } catch {
      // not a quoted list after all
    }
  }
  return listed.split(/\s*,\s*/).filter(Boolean);
}

export function defaultDecide({ labels, text }: { labels: string[]; text: string }): string {
  if (labels.length === 0) return /\[\[answer:([^\]]+)\]\]/.exec(text)?.[1] ?? 'NONE';
  const marker = /\[\[label:([^\]]+)\]\]/.exec(text);
  if (marker) return marker[1]!;
  const lower = text.toLowerCase();
  const named = labels.find((label) => lower.includes(`[[${label.toLowerCase()}]]`));
  if (named) return named;
  const hash = createHash('sha256').update(text).digest();
  return labels[hash.readUInt32BE(0) % labels.length]!;
}

/**
 * A Hugging Face task answer: zero-shot in the legacy `{sequence, labels, scores}` shape,
 * text classification as `[[{label, score}]]`; the chosen label scores 0.9.
 */
export function taskAnswer(
  body: ChatBody,
  decide: (request: { labels: string[]; text: string }) => string,
  taskLabels: string[] | undefined,
  fault: Fault | undefined,
): unknown {
  const candidates = body.parameters?.candidate_labels;
  const labels = candidates ?? taskLabels ?? ['POSITIVE', 'NEGATIVE'];
  const label = decide({ labels, text: body.inputs ?? '' });
  if (fault === 'malformed') return { error: 'unexpected output' };
  const ranked = [label, ...labels.filter((other) => other !== label)];
  const scores = ranked.map((_, index) =>
    index === 0 ? 0.9 : 0.1 / Math.max(1, ranked.length - 1),
  );
  if (candidates) return { sequence: body.inputs, labels: ranked, scores };
  return [ranked.map((name, index) => ({ label: name, score: scores[index]! }))];
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Input tokens as OpenAI counts them: each message's content plus 4 (role, separators), 3 to
 * start the answer, and the JSON schema of structured output; at 4 characters a token.
 */
function promptTokens(body: ChatBody): number {
  let count = 3;
  for (const message of body.messages ?? [])
    count +=
      4 +
      tokens(
        typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
      );
  if (body.response_format) count += tokens(JSON.stringify(body.response_format));
  return count;
}

/**
 * Log-probabilities of an answer's tokens (4 characters each) that spell it: the label's last
 * mention (a structured answer's `label` value) is one token at probability 0.9, the rest 0.99.
 */
function tokenLogprobs(content: string, label: string) {
  const tokens: { token: string; logprob: number; top_logprobs: [] }[] = [];
  const add = (text: string, probability: number) => {
    for (let at = 0; at < text.length; at += 4)
      tokens.push({
        token: text.slice(at, at + 4),
        logprob: Math.log(probability),
        top_logprobs: [],
      });
  };
  const at = content.lastIndexOf(label);
  if (at < 0) add(content, 0.99);
  else {
    add(content.slice(0, at), 0.99);
    tokens.push({ token: label, logprob: Math.log(0.9), top_logprobs: [] });
    add(content.slice(at + label.length), 0.99);
  }
  return tokens;
}

/** A chat completion for a request body (for the chat route and for batch lines alike). */
export function buildCompletion(
  body: ChatBody,
  options: {
    decide: (request: { labels: string[]; text: string }) => string;
    answer?: TestServerOptions['answer'];
    refusal?: TestServerOptions['refusal'];
    reasoning?: TestServerOptions['reasoning'];
    usage?: boolean;
    finishReason?: boolean;
    fault?: Fault;
    because?: string;
    hash: string;
  },
) {
  const { fault, hash } = options;
  const because = options.because ?? '';
  const text = textOf(body);
  const labels = labelsOf(body, text);
  const label = options.decide({ labels, text });
  const structured = body.response_format?.type === 'json_schema';
  let content = structured
    ? JSON.stringify({ reasoning: `The text points to ${label}${because}.`, label })
    : labels.length === 0
      ? label
      : `The text points to ${label}${because}.\nAnswer: ${label}`;
  if (fault === 'malformed') content = structured ? '{"reasoning": "cut off' : 'I cannot decide.';
  content = options.answer?.({ labels, text, structured }) ?? content;
  // Like a real model, the answer stops at the output cap the request sets, after its reasoning.
  const reasoning = options.reasoning?.({ labels, text });
  const thought = reasoning === undefined ? 0 : tokens(reasoning);
  const cap = body.max_completion_tokens ?? body.max_tokens;
  const room = cap === undefined ? undefined : Math.max(0, cap - thought);
  const cut = room !== undefined && tokens(content) > room;
  if (cut) content = content.slice(0, room * 4);
  const refusal = options.refusal?.({ labels, text });
  const usage = {
    prompt_tokens: promptTokens(body),
    completion_tokens: tokens(refusal ?? content) + thought,
    total_tokens: promptTokens(body) + tokens(refusal ?? content) + thought,
  };
  const completion = {
    id: `chatcmpl-${hash.slice(0, 12)}`,
    object: 'chat.completion',
    created: 0,
    model: body.model ?? 'test-model',
    choices: [
      {
        index: 0,
        ...(options.finishReason === false ? {} : { finish_reason: cut ? 'length' : 'stop' }),
        message:
          refusal === undefined
            ? {
                role: 'assistant',
                content,
                ...(reasoning === undefined ? {} : { reasoning_content: reasoning }),
              }
            : { role: 'assistant', content: null, refusal },
        logprobs: body.logprobs ? { content: tokenLogprobs(content, label) } : null,
      },
    ],
    ...(options.usage === false ? {} : { usage }),
  };
  return { completion, cut };
}

/**
 * OpenAI's refusal (400) of a request longer than the model's context (`contextTokens`): its
 * input tokens plus its output cap; undefined for a request that fits.
 */
export function contextRefusal(body: ChatBody, contextTokens: number | undefined) {
  if (contextTokens === undefined) return undefined;
  const input = promptTokens(body);
  const output = body.max_completion_tokens ?? body.max_tokens ?? 0;
  if (input + output <= contextTokens) return undefined;
  return {
    message: `This model's maximum context length is ${contextTokens} tokens. However, you requested ${input + output} tokens (${input} in the messages, ${output} in the completion). Please reduce the length of the messages or completion.`,
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  };
}

/**
 * What OpenAI answers (400) to a reasoning model's request (`gpt-5*`, `o1`, `o3`, `o4-mini`) with
 * `max_tokens` or a temperature other than 1; undefined for a request it takes.
 */
export function reasoningRefusal(body: ChatBody): string | undefined {
  if (!/^(?:openai\/)?(?:gpt-5|o[1-9])(?:$|[-.])/i.test(body.model?.trim() ?? '')) return undefined;
  if (body.max_tokens !== undefined)
    return "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
  if (body.temperature !== undefined && body.temperature !== 1)
    return `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`;
  return undefined;
}
