import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import {
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  labelResponseFormat,
} from './chat-provider.js';
import { createHttpFetch } from './http-fetch.js';
import { ProviderCallError, parseRetryAfter } from './retry-policy.js';

export interface OpenAiProviderOptions {
  /** Endpoint, e.g. `http://localhost:11434/v1` for Ollama; default the SDK's (OpenAI). */
  baseUrl?: string;
  /** Environment variable with the API key, read at call time; default `OPENAI_API_KEY`. */
  apiKeyEnv?: string;
  /** Per-request timeout in milliseconds; default 60,000. */
  timeoutMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

/** An OpenAI-compatible endpoint through the `openai` SDK (OpenAI, Azure, vLLM, Ollama, llama.cpp). */
export function createOpenAiProvider(options: OpenAiProviderOptions = {}): ChatProvider {
  const keyName = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  let client: OpenAI | undefined;
  let clientKey: string | undefined;
  const clientFor = (): OpenAI => {
    // Read at call time, never stored in settings, logs or results.
    const apiKey = process.env[keyName] ?? (options.baseUrl ? 'not-needed' : undefined);
    if (!apiKey) {
      throw new ProviderCallError(
        `no API key: set ${keyName} in the environment (or base_url for a local server)`,
        { status: 401, code: 'auth' },
      );
    }
    if (!client || clientKey !== apiKey) {
      client = new OpenAI({
        apiKey,
        baseURL: options.baseUrl ?? process.env.OPENAI_BASE_URL,
        maxRetries: 0, // retries are ours: shared limiter, back-off, retry-after
        timeout: options.timeoutMs ?? 60_000,
        fetch: options.fetch ?? createHttpFetch(),
      });
      clientKey = apiKey;
    }
    return client;
  };

  return {
    name: 'openai',
    async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
      const openai = clientFor();
      // The SDK and fetch add listeners to the signal they get: give them one of their own, linked
      // to the run's shared signal by a single listener, so the shared one does not pile up.
      const own = new AbortController();
      const forward = () => own.abort(signal.reason);
      if (signal.aborted) own.abort(signal.reason);
      else signal.addEventListener('abort', forward, { once: true });
      try {
        const completion = await openai.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            temperature: request.temperature,
            max_tokens: request.maxTokens,
            ...(request.logprobs ? { logprobs: true } : {}),
            ...(request.labels ? { response_format: labelResponseFormat(request.labels) } : {}),
          },
          { signal: own.signal },
        );
        const choice = completion.choices?.[0];
        const logprob = choice?.logprobs?.content?.at(-1)?.logprob;
        return {
          content: choice?.message?.content ?? '',
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
          cachedTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
          ...(logprob === undefined ? {} : { labelLogprob: logprob }),
        };
      } catch (error) {
        throw toProviderError(error);
      } finally {
        signal.removeEventListener('abort', forward);
      }
    },
  };
}

function toProviderError(error: unknown): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderCallError('the call was aborted', {
      cause: error,
      code: 'aborted',
      status: 499,
    });
  if (error instanceof APIConnectionTimeoutError)
    return new ProviderCallError('the call timed out', { cause: error, code: 'timeout' });
  if (error instanceof APIConnectionError)
    return new ProviderCallError(`cannot reach the endpoint: ${error.message}`, {
      cause: error,
      code: 'connection',
    });
  if (error instanceof APIError) {
    const status = error.status;
    const retryAfterMs = parseRetryAfter(error.headers?.get?.('retry-after'));
    const hint = status === 401 || status === 403 ? ': check your API key' : '';
    return new ProviderCallError(`the endpoint answered ${status}${hint} (${error.message})`, {
      status,
      retryAfterMs,
      cause: error,
      ...(status === 401 ? { code: 'auth' } : {}),
    });
  }
  return new ProviderCallError(
    `the call failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, code: 'unknown' },
  );
}
