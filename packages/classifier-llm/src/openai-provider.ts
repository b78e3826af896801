import type { ChatProvider, ChatRequest, ChatResponse } from './chat-provider.js';
import { HttpRequestError, httpRequest, keepAliveAgents } from './http-request.js';
import {
  baseUrlOf,
  type Completion,
  chatBody,
  type OpenAiProviderOptions,
  type Send,
  statusError,
} from './openai-wire.js';
import { ProviderCallError } from './retry-policy.js';

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
  // Every token: the label's are found once the answer is read (the last token is often `"}`).
  const tokens = choice?.logprobs?.content;
  const refusal = choice?.message?.refusal;
  const reasoning = choice?.message?.reasoning_content ?? choice?.message?.reasoning;
  const usage = answer.usage;
  return {
    content: choice?.message?.content ?? '',
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    ...(Array.isArray(tokens)
      ? { tokenLogprobs: tokens.map(({ token, logprob }) => ({ token, logprob })) }
      : {}),
    ...(choice?.finish_reason === 'length' ? { cutAtMaxTokens: true } : {}),
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
    ...(typeof refusal === 'string' && refusal !== '' ? { refusal } : {}),
    ...(typeof reasoning === 'string' && reasoning !== ''
      ? { reasoningBytes: Buffer.byteLength(reasoning) }
      : {}),
    // No usage, or one without its token counts: unknown, not 0 (a $0 cost would pass for free).
    ...(typeof usage?.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number'
      ? {}
      : { usageMissing: true }),
  };
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
        reachedServer: error.connected,
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
      const error = (parsed as { error?: { message?: unknown; code?: unknown; type?: unknown } })
        ?.error;
      const detail = typeof error?.message === 'string' ? error.message : text.slice(0, 200);
      const code = [error?.code, error?.type].find((value) => typeof value === 'string');
      const retryAfter = header(answer, 'retry-after');
      throw statusError(answer.status, `${answer.status} ${detail}`, retryAfter, undefined, code);
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
