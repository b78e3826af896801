import { ScoreCallError } from '@plexus/core';

/** How failed calls are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt; default 4. */
  maxRetries: number;
  /** First back-off, in milliseconds; doubles each retry, with full jitter; default 250. */
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

/** Back-off before retry number `attempt` (1-based): full jitter, at least `retryAfterMs`. */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(retryAfterMs, Math.floor(random() * ceiling));
}

/** A provider error with its HTTP status and `retry-after`, when the server sent them. */
export class ProviderCallError extends ScoreCallError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: {
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
      code?: string;
      /** Every later call would fail the same way (default: only for a 401). */
      stopsRun?: boolean;
    },
  ) {
    super(message, {
      retryable: isRetryableStatus(options.status),
      code: options.code ?? (options.status ? `http_${options.status}` : 'connection'),
      cause: options.cause,
      // A rejected key fails every call: the run stops with "check your API key".
      stopsRun: options.stopsRun ?? options.status === 401,
    });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
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
