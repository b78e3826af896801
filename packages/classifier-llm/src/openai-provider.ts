import {
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  labelResponseFormat,
} from './chat-provider.js';
import { HttpRequestError, httpRequest, keepAliveAgents } from './http-request.js';
import { ProviderCallError, parseRetryAfter } from './retry-policy.js';

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
  choices?: { message?: { content?: string | null }; logprobs?: LogProbs | null }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
}
interface LogProbs {
  content?: { logprob: number }[] | null;
}

/** An OpenAI-compatible endpoint (OpenAI, Azure, vLLM, Ollama, llama.cpp server). */
export function createOpenAiProvider(options: OpenAiProviderOptions = {}): ChatProvider {
  const keyName = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const send = options.client === 'sdk' || options.fetch ? sdkSend(options) : httpSend(options);
  return {
    name: 'openai',
    async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
      // Read at call time, never stored in settings, logs or results.
      const apiKey = process.env[keyName] ?? (options.baseUrl ? 'not-needed' : undefined);
      if (!apiKey) {
        throw new ProviderCallError(
          `no API key: set ${keyName} in the environment (or base_url for a local server)`,
          { status: 401, code: 'auth' },
        );
      }
      return toChatResponse(await send(chatBody(request), apiKey, signal));
    },
  };
}

/** A chat completion body as the answer Plexus keeps (also for the lines of a Batch API output). */
export function toChatResponse(completion: Completion | unknown): ChatResponse {
  if (typeof completion !== 'object' || completion === null)
    throw new ProviderCallError(
      `the endpoint answered with a body that is not a JSON object: ${String(completion).slice(0, 200)}`,
      { code: 'malformed_response' },
    );
  const answer = completion as Completion;
  const choice = answer.choices?.[0];
  const logprob = choice?.logprobs?.content?.at(-1)?.logprob;
  return {
    content: choice?.message?.content ?? '',
    inputTokens: answer.usage?.prompt_tokens ?? 0,
    outputTokens: answer.usage?.completion_tokens ?? 0,
    cachedTokens: answer.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    ...(logprob === undefined ? {} : { labelLogprob: logprob }),
  };
}

/** The request body of a chat completion (also a Batch API line's `body`). */
export function chatBody(request: ChatRequest) {
  return {
    model: request.model,
    messages: request.messages,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
    ...(request.logprobs ? { logprobs: true } : {}),
    ...(request.labels ? { response_format: labelResponseFormat(request.labels) } : {}),
  };
}

export function baseUrlOf(options: Pick<OpenAiProviderOptions, 'baseUrl'>): string {
  return options.baseUrl ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
}

/** An error answer as a `ProviderCallError`: retried or not by its status. */
export function statusError(
  status: number,
  detail: string,
  retryAfter: string | null | undefined,
  cause?: unknown,
): ProviderCallError {
  const hint = status === 401 || status === 403 ? ': check your API key' : '';
  return new ProviderCallError(`the endpoint answered ${status}${hint} (${detail})`, {
    status,
    retryAfterMs: parseRetryAfter(retryAfter),
    cause,
    ...(status === 401 ? { code: 'auth' } : {}),
  });
}

function httpSend(options: OpenAiProviderOptions): Send {
  const agents = keepAliveAgents();
  const url = new URL(`${baseUrlOf(options).replace(/\/+$/, '')}/chat/completions`);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return async (body, apiKey, signal) => {
    let answer: Awaited<ReturnType<typeof httpRequest>>;
    try {
      answer = await httpRequest(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify(body),
        agents,
        signal,
        timeoutMs,
      });
    } catch (error) {
      if (!(error instanceof HttpRequestError)) throw error;
      throw new ProviderCallError(error.message, {
        cause: error.cause,
        code: error.reason,
        ...(error.reason === 'aborted' ? { status: 499 } : {}),
      });
    }
    const text = answer.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (answer.status >= 400) {
      const message = (parsed as { error?: { message?: unknown } } | undefined)?.error?.message;
      const detail = typeof message === 'string' ? message : text.slice(0, 200);
      throw statusError(answer.status, `${answer.status} ${detail}`, header(answer, 'retry-after'));
    }
    return (parsed ?? text) as Completion;
  };
}

function header(answer: { headers: Record<string, string | string[] | undefined> }, name: string) {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The `openai` package's client, loaded at the first call that uses it: a run on the default
 * `http` client never loads the SDK (a part of every LLM run's start-up).
 */
function sdkSend(options: OpenAiProviderOptions): Send {
  let send: Promise<Send> | undefined;
  return async (body, apiKey, signal) => {
    send ??= import('./openai-sdk-send.js').then((module) => module.sdkSend(options));
    return (await send)(body, apiKey, signal);
  };
}
