import { ScoreCallError } from '@plexus/core';
import { inLine, notStartedWhenDrained, refuseWhenDraining, sleep } from './call-waits.js';
import type { ChatProvider, ChatRequest, ChatResponse } from './chat-provider.js';
import { type HedgeAttempt, hedgedCall } from './hedged-call.js';
import type { RequestLimiter } from './request-limiter.js';
import { backoffMs, ProviderCallError, type RetryPolicy } from './retry-policy.js';

export interface ModelCallOptions {
  provider: ChatProvider;
  limiter: RequestLimiter;
  request: ChatRequest;
  policy: RetryPolicy;
  signal: AbortSignal;
  /** Aborted when the run stops starting work: a call not yet sent is not sent (`not_started`). */
  drain?: AbortSignal;
  random?: () => number;
  /**
   * `hedge_after_ms`: a call still unanswered this long after it was sent (`auto`: 4x the recent
   * 90th-percentile latency) gets a second attempt; the first answer wins (see `hedgedCall`).
   * Undefined (the default): never.
   */
  hedgeAfterMs?: number | 'auto';
  /**
   * Called with an answer while its limiter slot is still held (the response cache stores it
   * there): the next request waits for it, so a kill -9 can lose at most the calls in flight, never
   * one answered (and paid for) whose slot had already gone to another request.
   */
  onAnswer?: (response: ChatResponse) => Promise<unknown> | undefined;
}

/** A completed call and how many attempts it took. */
export interface ModelCallResult {
  response: ChatResponse;
  /** Attempts its server received (an attempt that never connected is not one). */
  attempts: number;
  /**
   * Second attempts sent (hedges), over all attempts: requests sent besides `attempts`. Each such
   * pair had one attempt aborted or failed, whose tokens (and cost) are unknown.
   */
  hedges: number;
}

function estimateTokens(request: ChatRequest): number {
  return (
    Math.ceil(request.messages.reduce((sum, message) => sum + message.content.length, 0) / 4) +
    request.maxTokens
  );
}

/**
 * What a call keeps across its attempts: the limiter's epoch at the last send, hedges sent, and
 * the failures that grow its back-off (429s, and server failures above their usual share).
 */
interface CallState {
  epoch: number;
  hedges: number;
  tokens: number;
  steps: number;
  /** The last failure's kind (its status, else its code): an outage repeats one. */
  lastFailure?: string | number;
  /** Attempts (not hedges) that never connected to the server: no request was received. */
  unreached: number;
}

/**
 * Counts an attempt that never connected (refused, unknown host, failed TLS handshake, aborted
 * while connecting): its server received nothing. A hedge that never connected is taken off the
 * hedges sent: it was counted as a request (11 calls for 1 received, its cost unknown, when the
 * endpoint refused new connections while the first attempt was answered on its own).
 */
function countUnreached(state: CallState, error: unknown, hedge = false): never {
  if (error instanceof ProviderCallError && !error.reachedServer) {
    if (hedge) state.hedges -= 1;
    else state.unreached += 1;
  }
  throw error;
}

/** 429s the limiter was told of while their slot was still held (not to be told twice). */
const toldLimiter = new WeakSet<object>();

/**
 * Tells the limiter of a 429 before its slot is freed: a slot it rests (a 429 of noise) is not
 * handed to the next request waiting, which went out at once into the same limit.
 */
function tellLimiter(options: ModelCallOptions, state: CallState, error: unknown): void {
  if (!(error instanceof ProviderCallError) || error.status !== 429) return;
  options.limiter.rateLimited(error.retryAfterMs ?? options.policy.baseDelayMs, state.epoch);
  toldLimiter.add(error);
}

/** One attempt in one limiter slot (a retry first in line). */
function sendOnce(
  options: ModelCallOptions,
  state: CallState,
  retry: boolean,
): Promise<ChatResponse> {
  return options.limiter
    .run(
      state.tokens,
      () => {
        refuseWhenDraining(options.drain);
        state.epoch = options.limiter.epoch;
        return options.provider.complete(options.request, options.signal).then(
          async (response) => {
            await options.onAnswer?.(response);
            return response;
          },
          (error: unknown) => {
            tellLimiter(options, state, error);
            return countUnreached(state, error);
          },
        );
      },
      inLine(options.drain, retry),
    )
    .catch((error: unknown) => notStartedWhenDrained(options.drain, error));
}

/** One attempt and its hedges (see `hedgedCall`), each in its own limiter slot. */
function sendHedged(
  options: ModelCallOptions,
  state: CallState,
  after: number | 'auto',
  random: () => number,
  retry: boolean,
): Promise<ChatResponse> {
  const { limiter } = options;
  const attempt = ({ signal, hedge, sent, answered }: HedgeAttempt) =>
    limiter
      .run(
        state.tokens,
        () => {
          refuseWhenDraining(options.drain);
          if (signal.aborted) return Promise.reject(signal.reason);
          sent();
          state.epoch = limiter.epoch;
          const answer = options.provider
            .complete(options.request, signal)
            .then(async (response) => {
              answered();
              await options.onAnswer?.(response);
              return response;
            });
          // An attempt that never connected is no request: not a hedge sent, nor an attempt.
          return answer.catch((error: unknown) => {
            tellLimiter(options, state, error);
            return countUnreached(state, error, hedge);
          });
        },
        // A hedge is withdrawn while it waits once the call is answered (the first attempt is sent
        // before any hedge); any attempt once the run stops.
        hedge ? { first: true, signal } : inLine(options.drain, retry),
      )
      .catch((error: unknown) => notStartedWhenDrained(options.drain, error));
  return hedgedCall<ChatResponse>(attempt, {
    after,
    limiter,
    signal: options.signal,
    drain: options.drain,
    onHedgeSent: () => {
      state.hedges += 1;
    },
    onLoserFailure: (error) => {
      if (!(error instanceof ProviderCallError)) return undefined;
      // A 429 is a rate limit, told once (mostly before its slot was freed); never a server failure.
      if (error.status === 429) {
        if (!toldLimiter.has(error))
          limiter.rateLimited(error.retryAfterMs ?? options.policy.baseDelayMs, state.epoch);
      } else if (error.isRetryable) limiter.serverFailed();
      return error.isRetryable
        ? backoffMs(options.policy, 1, random, error.retryAfterMs)
        : undefined;
    },
  });
}

/**
 * Tells the limiter of a retryable failure; true when it grows the call's back-off: a 429 always,
 * a server failure (5xx, timeout, lost connection) while such failures run above their usual
 * share, or when it is the call's second failure in a row of the same kind (a 503 after a 503:
 * its third attempt waits as a first retry, the fourth 0.5 s later, then 1 s...). A sporadic
 * failure is noise: its retry waits as a first retry does, so an item unlucky twice (a hang, then
 * a 500) is not left asleep 0.5 s, then 1 s, at the end of a run; but a lone call through a short
 * outage (a few seconds of 503s, too few answers for a share) still waits it out instead of
 * spending its retries in 0.3 s.
 */
function growsBackoff(options: ModelCallOptions, state: CallState, failure: ProviderCallError) {
  const kind = failure.status ?? failure.code;
  const repeated = state.lastFailure === kind;
  state.lastFailure = kind;
  if (failure.status !== 429) return options.limiter.serverFailed() || repeated;
  if (!toldLimiter.has(failure))
    options.limiter.rateLimited(failure.retryAfterMs ?? options.policy.baseDelayMs, state.epoch);
  return true;
}

/**
 * Calls the model under the shared limiter, retrying what may succeed later (408, 409, 429, 5xx,
 * timeouts, resets) with jittered exponential back-off, never less than `retry-after`, growing
 * with 429s and with server failures above their usual share (see `growsBackoff`), each retry
 * first in line for a free slot. A 429
 * caused by load (see `RequestLimiter.rateLimited`) also halves the limiter's concurrency, once for
 * all requests sent at the same concurrency. 400, 401 and 403 fail at once. With `hedgeAfterMs`,
 * each attempt may be hedged (see `hedgedCall`).
 */
export async function callModel(options: ModelCallOptions): Promise<ModelCallResult> {
  const random = options.random ?? Math.random;
  const state: CallState = {
    epoch: options.limiter.epoch,
    hedges: 0,
    tokens: estimateTokens(options.request),
    steps: 0,
    unreached: 0,
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await (options.hedgeAfterMs === undefined
        ? sendOnce(options, state, attempt > 1)
        : sendHedged(options, state, options.hedgeAfterMs, random, attempt > 1));
      options.limiter.succeeded();
      return { response, attempts: attempt - state.unreached, hedges: state.hedges };
    } catch (error) {
      if (options.signal.aborted) throw error;
      // A refusal before the call (a spent budget) is final as it is.
      if (error instanceof ScoreCallError && !(error instanceof ProviderCallError)) throw error;
      const failure =
        error instanceof ProviderCallError
          ? error
          : new ProviderCallError(String(error), { cause: error });
      if (!failure.isRetryable || attempt > options.policy.maxRetries) {
        const final = new ProviderCallError(
          `${failure.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`,
          {
            status: failure.status,
            cause: failure,
            code: failure.code,
            retryable: failure.isRetryable,
            stopsRun: failure.stopsRun,
          },
        );
        // The requests its server received are counted (`llm_calls`, `retries`) though no answer
        // came; an attempt that never connected is not one.
        final.sent = { attempts: attempt - state.unreached, hedges: state.hedges };
        throw final;
      }
      if (growsBackoff(options, state, failure)) state.steps += 1;
      const step = Math.max(1, state.steps);
      await sleep(
        backoffMs(options.policy, step, random, failure.retryAfterMs),
        options.signal,
        options.drain,
      );
    }
  }
}
