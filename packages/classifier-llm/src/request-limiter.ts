import { LatencyWindow } from './latency-window.js';
import { RateLimitWindow } from './rate-limit-window.js';
import { whenAborted } from './when-aborted.js';

/** A request waiting for its slot. */
interface Waiting {
  release: () => void;
  tokens: number;
}

/** Hedges kept in reserve, in tenths (see `RequestLimiter.hedgeAfterMs`): 10 hedges. */
const hedgeTenthsMax = 100;

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
  /**
   * Server failures (5xx, timeouts, lost connections) among the answers, told from their usual
   * share the same way as 429s (see `failing`).
   */
  private readonly serverFailures = new RateLimitWindow();
  private readonly waiting: Waiting[] = [];
  /** How long the recent successes took, from the slot to the answer (for `hedgeAfterMs`). */
  private readonly latencies = new LatencyWindow();
  /** Hedges that may be sent, in tenths: one tenth earned per request sent, 10 hedges at most. */
  private hedgeTenths = hedgeTenthsMax;
  /** Second attempts (hedges): sent; answered first; attempts aborted because the other answered. */
  readonly hedging = { sent: 0, won: 0, aborted: 0 };
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

  /**
   * Runs `task` when the limits allow; `tokens` is the estimate counted against tokens per minute.
   * `first`: ahead of the requests waiting (a hedge), still within the limits. `signal`: once
   * aborted, a request still waiting leaves the line unsent (rejected with the signal's reason).
   */
  async run<T>(
    tokens: number,
    task: () => Promise<T>,
    options?: { first?: boolean; signal?: AbortSignal },
  ): Promise<T> {
    await (options ? this.queue(tokens, options) : this.enqueue(tokens));
    const started = this.now();
    try {
      const value = await task();
      this.latencies.add(this.now() - started);
      return value;
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }

  private enqueue(tokens: number): Promise<void> {
    return new Promise<void>((release) => {
      this.waiting.push({ release, tokens });
      this.pump();
    });
  }

  private queue(tokens: number, options: { first?: boolean; signal?: AbortSignal }) {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const entry: Waiting = {
        tokens,
        release: () => {
          stop?.();
          resolve();
        },
      };
      const stop = signal
        ? whenAborted(signal, () => {
            const index = this.waiting.indexOf(entry);
            if (index < 0) return; // already released: the task sees the abort
            this.waiting.splice(index, 1);
            reject(signal.reason);
          })
        : undefined;
      if (options.first) this.waiting.unshift(entry);
      else this.waiting.push(entry);
      this.pump();
    });
  }

  /**
   * When a call still unanswered gets a second attempt (see `hedgedCall`): after `setting` ms, or
   * with `auto` 4x the 90th percentile of the recent successes (at least 20 ms; none before 16
   * successes). Undefined: no hedge now, also when hedges are spent (at most one per ten requests
   * sent, with a reserve of 10), so hedges never more than add a tenth to the load.
   */
  hedgeAfterMs(setting: number | 'auto'): number | undefined {
    if (this.hedgeTenths < 10) return undefined;
    if (setting !== 'auto') return setting;
    const percentile = this.latencies.percentile90();
    return percentile === undefined ? undefined : Math.max(20, 4 * percentile);
  }

  /** Takes one hedge from the credit; false when none is left. */
  takeHedge(): boolean {
    if (this.hedgeTenths < 10) return false;
    this.hedgeTenths -= 10;
    return true;
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

  /**
   * A server failure (a 5xx, a timeout, a lost connection; not a 429). Returns whether such
   * failures now run above their usual share (as `RateLimitWindow` tells 429s of load: 8 or more
   * and a quarter of the last 64 answers, or well above the share before them). While not, the
   * failure is noise and its retry's back-off does not grow (see `callModel`).
   */
  serverFailed(): boolean {
    this.serverFailures.add(true);
    return this.serverFailures.overloaded;
  }

  /** A success: after `limit` successes in a row, allow one more request in flight. */
  succeeded(): void {
    this.answers.add(false);
    this.serverFailures.add(false);
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
      if (this.hedgeTenths < hedgeTenthsMax) this.hedgeTenths += 1;
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

/**
 * Forgets every shared limiter (for tests whose files share one process: a later file's test
 * server may get an earlier one's port, and must not inherit its halved concurrency, hedges or
 * latencies).
 */
export function forgetSharedLimiters(): void {
  limiters.clear();
}

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
