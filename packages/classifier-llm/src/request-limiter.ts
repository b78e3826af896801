import { RateLimitWindow } from './rate-limit-window.js';

/** Limits for one provider and model. */
export interface LimiterOptions {
  /** Requests in flight at most; default 8. */
  maxConcurrency: number;
  /** Requests per minute at most; default unlimited. */
  requestsPerMinute?: number;
  /** Tokens (estimated input + output) per minute at most; default unlimited. */
  tokensPerMinute?: number;
}

/**
 * Shared by every score that calls the same provider and model in this process. Concurrency adapts:
 * halved and paused for `retry-after` on a 429 caused by load (see `RateLimitWindow`: the share of
 * 429s in the recent answers above the noise), at most once per round of requests in flight;
 * raised by one after `limit` successes, up to the maximum. A 429 that is noise changes neither:
 * only its own request waits. Requests and tokens per minute are kept with a sliding one-minute window.
 */
export class RequestLimiter {
  private limit: number;
  private inFlight = 0;
  /** Slots kept free for `retry-after` after a 429 taken as noise. */
  private resting = 0;
  private pausedUntil = 0;
  private successes = 0;
  private decreases = 0;
  private noise = 0;
  private readonly answers = new RateLimitWindow();
  private readonly waiting: { release: () => void; tokens: number }[] = [];
  /** Requests of the last minute (only with a per-minute budget), from `windowStart` on. */
  private window: { at: number; tokens: number }[] = [];
  private windowStart = 0;
  private windowTokens = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private options: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = options.maxConcurrency;
  }

  /** Current concurrency limit (for reports and tests). */
  get concurrency(): number {
    return this.limit;
  }

  /** Raises or lowers the maximum (a lower `--concurrency` or scorecard limit). */
  configure(options: Partial<LimiterOptions>): void {
    this.options = { ...this.options, ...options };
    this.limit = Math.min(this.limit, this.options.maxConcurrency);
    this.pump();
  }

  /** Runs `task` when the limits allow; `tokens` is the estimate counted against tokens per minute. */
  async run<T>(tokens: number, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((release) => {
      this.waiting.push({ release, tokens });
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }

  /**
   * Counts decreases: a request remembers it when sent, so the 429s of requests sent before the
   * last decrease (answers to the same overload) do not shrink the concurrency again.
   */
  get epoch(): number {
    return this.decreases;
  }

  /** 429s taken as noise and as load (each load one halved the concurrency), for reports. */
  get limited(): { noise: number; load: number } {
    return { noise: this.noise, load: this.decreases };
  }

  /**
   * A 429: when the recent answers show load, halve the concurrency and pause new requests for
   * `retryAfterMs`, unless the limiter already did since the request was sent (`sentInEpoch`, from
   * `epoch`; default: now). The request itself still waits `retry-after` before its retry.
   * Returns whether it was taken as load.
   */
  rateLimited(retryAfterMs = 1000, sentInEpoch = this.decreases): boolean {
    if (sentInEpoch !== this.decreases) return false;
    this.answers.add(true);
    if (!this.answers.overloaded) {
      // Noise, or load not yet sure: only the refused slot waits `retry-after` before reuse.
      this.noise += 1;
      this.resting += 1;
      setTimeout(() => {
        this.resting -= 1;
        this.pump();
      }, retryAfterMs).unref();
      return false;
    }
    this.answers.startOver();
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.decreases += 1;
    this.successes = 0;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
    this.pump();
    return true;
  }

  /** A success: after `limit` successes in a row, allow one more request in flight. */
  succeeded(): void {
    this.answers.add(false);
    this.successes += 1;
    if (this.successes >= this.limit && this.limit < this.options.maxConcurrency) {
      this.limit += 1;
      this.successes = 0;
      this.pump();
    }
  }

  private pump(): void {
    const now = this.now();
    const { requestsPerMinute, tokensPerMinute } = this.options;
    const budgeted = requestsPerMinute !== undefined || tokensPerMinute !== undefined;
    if (budgeted) this.forgetBefore(now - 60_000);
    let wakeAt = now < this.pausedUntil ? this.pausedUntil : 0;
    while (
      this.waiting.length > 0 &&
      this.inFlight + this.resting < this.limit &&
      now >= this.pausedUntil
    ) {
      const recent = this.window.length - this.windowStart;
      if (
        (requestsPerMinute && recent >= requestsPerMinute) ||
        (tokensPerMinute && this.windowTokens >= tokensPerMinute)
      ) {
        wakeAt = recent > 0 ? this.window[this.windowStart]!.at + 60_000 : now + 1000;
        break;
      }
      const next = this.waiting.shift()!;
      this.inFlight += 1;
      if (budgeted) {
        // Counted when released, so requests released together are all counted.
        this.window.push({ at: now, tokens: next.tokens });
        this.windowTokens += next.tokens;
      }
      next.release();
    }
    if (wakeAt > 0 && this.waiting.length > 0 && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.pump();
        },
        Math.max(1, wakeAt - now),
      );
    }
  }

  /** Drops window entries older than `cutoff`, compacting the array now and then. */
  private forgetBefore(cutoff: number): void {
    while (this.windowStart < this.window.length && this.window[this.windowStart]!.at <= cutoff) {
      this.windowTokens -= this.window[this.windowStart]!.tokens;
      this.windowStart += 1;
    }
    if (this.windowStart > 1024 && this.windowStart * 2 > this.window.length) {
      this.window = this.window.slice(this.windowStart);
      this.windowStart = 0;
    }
  }
}

const limiters = new Map<string, RequestLimiter>();

/** The process-wide limiter of a provider and model, created with `options` the first time. */
export function sharedLimiter(key: string, options: LimiterOptions): RequestLimiter {
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new RequestLimiter(options);
    limiters.set(key, limiter);
  } else if (options.maxConcurrency < limiter.concurrency) {
    limiter.configure({ maxConcurrency: options.maxConcurrency });
  }
  return limiter;
}
