import { ScoreCallError } from '@plexus/core';

/** How failed calls are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt; default 4. */
  maxRetries: number;
  /**
   * Back-off step, in milliseconds; default 250. The first retry waits up to a quarter of it, the
   * second up to twice it, then it doubles each retry (full jitter).
   */
  baseDelayMs: number;
  /** Longest back-off, in milliseconds; default 20,000. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
};

/** Statuses worth another try: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true; // connection reset, timeout, no answer
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The first retry's jitter, as a share of `baseDelayMs`: a sporadic failure (a 500, a timeout, a
 * 429 of noise) usually passes at once, and its wait holds the item's slot in the engine.
 */
export const FIRST_RETRY_SHARE = 0.25;

/**
 * Back-off before retry number `attempt` (1-based): the server's `retry-after` (when it sent one)
 * plus full jitter, up to `baseDelayMs` x `FIRST_RETRY_SHARE` for the first retry and
 * `baseDelayMs` x 2^(attempt - 1) after it (at most `maxDelayMs`).
 */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs = 0,
): number {
  const step =
    attempt === 1
      ? policy.baseDelayMs * FIRST_RETRY_SHARE
      : policy.baseDelayMs * 2 ** (attempt - 1);
  return retryAfterMs + Math.floor(random() * Math.min(policy.maxDelayMs, step));
}

/** A provider error with its HTTP status and `retry-after`, when the server sent them. */
export class ProviderCallError extends ScoreCallError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** For a call that gave up: the requests its server received (attempts, and hedges beside them). */
  sent: { attempts: number; hedges: number } | undefined;
  /**
   * False when the request never reached a server (connection refused, unknown host, a failed TLS
   * handshake): not counted as an LLM call or a retry, and never billed.
   */
  readonly reachedServer: boolean;

  constructor(
    message: string,
    options: {
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
      code?: string;
      /** Every later call would fail the same way (default: only for a 401). */
      stopsRun?: boolean;
      /** Whether a retry may succeed (default: by the status: 408, 409, 429, 5xx). */
      retryable?: boolean;
      /** False: the request never reached a server (default true). */
      reachedServer?: boolean;
    },
  ) {
    super(message, {
      retryable: options.retryable ?? isRetryableStatus(options.status),
      code: options.code ?? (options.status ? `http_${options.status}` : 'connection'),
      cause: options.cause,
      // A rejected key fails every call: the run stops with "check your API key".
      stopsRun: options.stopsRun ?? options.status === 401,
    });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.reachedServer = options.reachedServer ?? true;
  }
}

/** `retry-after` as milliseconds: seconds (fractions allowed) or an HTTP date. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
