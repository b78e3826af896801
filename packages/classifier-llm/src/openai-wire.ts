import { isReasoningModel } from '@plexus/core';
import { type ChatRequest, labelResponseFormat } from './chat-provider.js';
import { ProviderCallError, parseRetryAfter } from './retry-policy.js';

// What the OpenAI provider's two clients (Plexus's HTTP client and the `openai` SDK) share: the
// options, the request body, the answer's shape and the error of a status.

export interface OpenAiProviderOptions {
  /** Endpoint, e.g. `http://localhost:11434/v1` for Ollama; default `OPENAI_BASE_URL`, else OpenAI. */
  baseUrl?: string;
  /** Environment variable with the API key, read at call time; default `OPENAI_API_KEY`. */
  apiKeyEnv?: string;
  /** Per-request timeout in milliseconds; default 60,000. */
  timeoutMs?: number;
  /**
   * How requests are sent: `http` (default: Plexus's own HTTP/1.1 client with keep-alive, about a
   * third of the CPU per call) or `sdk` (the `openai` package, with the `fetch` given here).
   */
  client?: 'http' | 'sdk';
  /** For `sdk`: the fetch to use. */
  fetch?: typeof fetch;
}

/** What one chat completion call sends and gets back, whichever client sends it. */
export type Send = (body: ChatBody, apiKey: string, signal: AbortSignal) => Promise<Completion>;
export type ChatBody = ReturnType<typeof chatBody>;
export interface Completion {
  choices?: {
    message?: {
      content?: string | null;
      refusal?: string | null;
      /** Reasoning returned beside the answer (vLLM, DeepSeek: `reasoning_content`; others `reasoning`). */
      reasoning_content?: unknown;
      reasoning?: unknown;
    };
    logprobs?: LogProbs | null;
    finish_reason?: string | null;
  }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
}
interface LogProbs {
  content?: { token: string; logprob: number }[] | null;
}

/** The request body of a chat completion (also a Batch API line's `body`). */
export function chatBody(request: ChatRequest) {
  // A reasoning model gets its output cap as `max_completion_tokens` (reasoning tokens included)
  // and no temperature: sent as to the others, every call was refused.
  const limits = isReasoningModel(request.model)
    ? { max_completion_tokens: request.maxTokens }
    : { temperature: request.temperature, max_tokens: request.maxTokens };
  return {
    model: request.model,
    messages: request.messages,
    ...limits,
    ...(request.logprobs ? { logprobs: true } : {}),
    ...(request.labels ? { response_format: labelResponseFormat(request.labels) } : {}),
  };
}

export function baseUrlOf(options: Pick<OpenAiProviderOptions, 'baseUrl'>): string {
  return options.baseUrl ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
}

/**
 * An error answer as a `ProviderCallError`: retried or not by its status. `errorCode`: the body's
 * `error.code` or `error.type`; a 429 of `insufficient_quota` (the account's credit is used up) is
 * no rate limit: no retry succeeds, and the run stops.
 */
export function statusError(
  status: number,
  detail: string,
  retryAfter: string | null | undefined,
  cause?: unknown,
  errorCode?: string,
): ProviderCallError {
  if (status === 429 && errorCode === 'insufficient_quota')
    return new ProviderCallError(
      `the endpoint answered 429: the account's quota is used up (insufficient_quota); add credit or raise its spending limit with the provider, then continue the run with --resume (${detail})`,
      { status, cause, code: 'insufficient_quota', retryable: false, stopsRun: true },
    );
  const hint = status === 401 || status === 403 ? ': check your API key' : '';
  return new ProviderCallError(`the endpoint answered ${status}${hint} (${detail})`, {
    status,
    retryAfterMs: parseRetryAfter(retryAfter),
    cause,
    ...(status === 401 ? { code: 'auth' } : {}),
  });
}
