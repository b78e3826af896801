import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import { createHttpFetch } from './http-fetch.js';
import { unconnectedError } from './http-request.js';
import {
  baseUrlOf,
  type Completion,
  type OpenAiProviderOptions,
  type Send,
  statusError,
} from './openai-wire.js';
import { ProviderCallError } from './retry-policy.js';

/** `client: sdk`: requests through the `openai` package (loaded only when a score asks for it). */
export function sdkSend(options: OpenAiProviderOptions): Send {
  let client: OpenAI | undefined;
  let clientKey: string | undefined;
  return async (body, apiKey, signal) => {
    if (!client || clientKey !== apiKey) {
      client = new OpenAI({
        apiKey,
        baseURL: baseUrlOf(options),
        maxRetries: 0, // retries are ours: shared limiter, back-off, retry-after
        timeout: options.timeoutMs ?? 60_000,
        fetch: options.fetch ?? createHttpFetch(),
      });
      clientKey = apiKey;
    }
    // The SDK and fetch add listeners to the signal they get: give them one of their own, linked
    // to the run's shared signal by a single listener, so the shared one does not pile up.
    const own = new AbortController();
    const forward = () => own.abort(signal.reason);
    if (signal.aborted) own.abort(signal.reason);
    else signal.addEventListener('abort', forward, { once: true });
    try {
      return (await client.chat.completions.create(body, { signal: own.signal })) as Completion;
    } catch (error) {
      throw sdkError(error);
    } finally {
      signal.removeEventListener('abort', forward);
    }
  };
}

function sdkError(error: unknown): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderCallError('the call was aborted', {
      cause: error,
      code: 'aborted',
      status: 499,
    });
  if (error instanceof APIConnectionTimeoutError)
    return new ProviderCallError('the call timed out', { cause: error, code: 'timeout' });
  if (error instanceof APIConnectionError) {
    // A request that never connected: its message names the endpoint and the fix.
    const unconnected = unconnectedError(error);
    return new ProviderCallError(
      unconnected?.message ?? `cannot reach the endpoint: ${error.message}`,
      {
        cause: error,
        code: 'connection',
        reachedServer: unconnected === undefined,
      },
    );
  }
  if (error instanceof APIError)
    return statusError(
      error.status ?? 500,
      error.message,
      error.headers?.get?.('retry-after'),
      error,
      [error.code, error.type].find((value) => typeof value === 'string') ?? undefined,
    );
  return new ProviderCallError(
    `the call failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, code: 'unknown' },
  );
}
