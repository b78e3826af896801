import { InvalidConfigError, type RunBudgetV1 } from '@plexus/core';
import type { ClassifierSettings } from './classifier-settings.js';
import type { RequestLimiter } from './request-limiter.js';
import { whenAborted } from './when-aborted.js';

/** How often a call without a known hedge delay asks again, in ms. */
const recheckMs = 50;
/**
 * A known delay is asked again at least this often, in ms: one grown in a stall of the machine
 * (every call in flight answered late, so 4x their 90th percentile passed the timeout) does not
 * hold the calls sent then until their timeout once the latencies are back.
 */
const longestWaitMs = 250;
/**
 * Hedges of one attempt of a call that may be in flight or answered: a second when the first hangs
 * too (at 1% hangs, both hang once in 10,000 calls, a stall of the whole timeout). A hedge that
 * failed (a 429, a 500: an error answer, not work a provider bills) does not count, so a hung call
 * whose two hedges both failed is hedged again after the back-off instead of held to its timeout;
 * the limiter's allowance (one hedge per ten requests) still bounds them all.
 */
const hedgesPerCall = 2;

/** One attempt of a hedged call, as `hedgedCall` hands it to `send`. */
export interface HedgeAttempt {
  /** Aborted when the other attempt answered first, or the call was aborted. */
  signal: AbortSignal;
  /** True for the second attempt: it goes first in line for the next free slot. */
  hedge: boolean;
  /** To be called just before the request goes out (inside its slot): it counts as sent. */
  sent: () => void;
  /**
   * To be called on an answer, still inside the slot: the other attempts are withdrawn before the
   * slot is freed (else a hedge waiting for a slot could take the winner's and go out for nothing).
   */
  answered: () => void;
}

export interface HedgeOptions {
  /** `hedge_after_ms`: milliseconds, or `auto` (see `RequestLimiter.hedgeAfterMs`). */
  after: number | 'auto';
  limiter: RequestLimiter;
  /** The call's signal: aborting it aborts both attempts. */
  signal: AbortSignal;
  /** The run's drain signal: once aborted, no hedge is started. */
  drain?: AbortSignal;
  /** A second attempt went out (the caller counts it as a request sent). */
  onHedgeSent: () => void;
  /**
   * An attempt failed while the other was still in flight (its 429 still tells the limiter).
   * Gives the back-off before another hedge may replace it (ms), or undefined when a new try
   * would not pass.
   */
  onLoserFailure: (error: unknown) => number | undefined;
}

interface Attempt {
  controller: AbortController;
  sent: boolean;
  /** When it was sent (Date.now()). */
  sentAt: number;
  settled: boolean;
}

/**
 * The first answer of a call and, when it is still unanswered `after` ms after it was sent, of a
 * second attempt (a hedge) sent first in line for the next free slot, so `max_concurrency` still
 * holds. The answer that comes first wins and the other attempt is aborted (its socket closed),
 * or leaves the line unsent. The call fails once no attempt is left in flight: with the last
 * error, a hedge still waiting for its slot withdrawn (the caller's retries and back-off apply).
 */
export function hedgedCall<T>(
  send: (attempt: HedgeAttempt) => Promise<T>,
  options: HedgeOptions,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    new HedgedCall(send, options, resolve, reject).start(false);
  });
}

/** One call's attempts, its hedge timer, and how it ends (see `hedgedCall`). */
class HedgedCall<T> {
  private readonly attempts: Attempt[] = [];
  private done = false;
  private winner: Attempt | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** From when the hedge delay counts: the last send of an attempt still in flight. */
  private from = 0;
  /** Hedges started for this call. */
  private hedges = 0;
  private readonly stopParent: () => void;

  constructor(
    private readonly send: (attempt: HedgeAttempt) => Promise<T>,
    private readonly options: HedgeOptions,
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.stopParent = whenAborted(options.signal, () => {
      for (const attempt of this.attempts) attempt.controller.abort(options.signal.reason);
    });
  }

  start(hedge: boolean): void {
    const attempt: Attempt = {
      controller: new AbortController(),
      sent: false,
      sentAt: 0,
      settled: false,
    };
    this.attempts.push(attempt);
    const sent = () => {
      attempt.sent = true;
      attempt.sentAt = Date.now();
      if (hedge) {
        this.options.limiter.hedging.sent += 1;
        this.options.onHedgeSent();
      }
      // A hedge unanswered as long (both hung) may be hedged once more.
      if (!hedge || this.hedges < hedgesPerCall) this.arm(attempt.sentAt, 0);
    };
    const answered = () => this.answered(attempt, hedge);
    this.send({ signal: attempt.controller.signal, hedge, sent, answered }).then(
      (value) => {
        attempt.settled = true;
        this.answered(attempt, hedge);
        if (this.winner === attempt) this.resolve(value);
      },
      (error: unknown) => {
        attempt.settled = true;
        if (hedge && attempt.sent) this.hedges -= 1;
        this.failed(error);
      },
    );
  }

  private answered(attempt: Attempt, hedge: boolean): void {
    if (this.done) return;
    this.winner = attempt;
    if (hedge) this.options.limiter.hedging.won += 1;
    this.end('answered by the other attempt (hedged call)');
  }

  private failed(error: unknown): void {
    if (this.done) return;
    const inFlight = this.attempts.filter((other) => other.sent && !other.settled);
    if (inFlight.length > 0) {
      // A failed attempt (a 429, a 500) beside one still in flight, maybe hung: another hedge
      // may follow after its back-off, once the one in flight is past the hedge delay (a hung
      // first attempt long is: its hedge failed, the next goes right after the back-off).
      const backoff = this.options.onLoserFailure(error);
      const latest = Math.max(...inFlight.map((other) => other.sentAt));
      if (backoff !== undefined && this.hedges < hedgesPerCall) this.arm(latest, backoff);
      return;
    }
    this.end('the other attempt failed (hedged call): retried as one');
    this.reject(error);
  }

  /** Aborts every attempt but the winner: in flight (counted), or still waiting for a slot. */
  private end(why: string): void {
    this.done = true;
    clearTimeout(this.timer);
    this.stopParent();
    for (const other of this.attempts) {
      if (other === this.winner || other.settled) continue;
      if (other.sent) this.options.limiter.hedging.aborted += 1;
      other.controller.abort(new Error(why));
    }
  }

  /** Counts the hedge delay from `from` (a send), asking no sooner than `waitMs` (a back-off). */
  private arm(from: number, waitMs: number): void {
    clearTimeout(this.timer);
    this.from = from;
    const after = this.options.limiter.hedgeAfterMs(this.options.after);
    const left = after === undefined ? recheckMs : from + after - Date.now();
    this.timer = setTimeout(() => this.check(), Math.max(waitMs, Math.min(left, longestWaitMs)));
  }

  /**
   * Sends a hedge when its delay has passed. With no delay known yet (`auto` before 16 successes,
   * or no hedge left), asks again a little later: the calls sent before any answer are hedged too.
   */
  private check(): void {
    this.timer = undefined;
    const { options } = this;
    if (this.done || options.signal.aborted || options.drain?.aborted) return;
    const after = options.limiter.hedgeAfterMs(options.after);
    if (after === undefined) {
      this.timer = setTimeout(() => this.check(), recheckMs);
      return;
    }
    const left = this.from + after - Date.now();
    if (left > 0) this.timer = setTimeout(() => this.check(), Math.min(left, longestWaitMs));
    else if (options.limiter.takeHedge()) {
      this.hedges += 1;
      this.start(true);
    }
  }
}

/**
 * `hedge_after_ms` where it cannot hold: a local model (a second attempt competes for the same
 * CPU), a budget (an aborted duplicate's tokens are unknown, so no budget could count them), or
 * a delay the timeout would always beat.
 */
export function refuseHedging(
  settings: Pick<ClassifierSettings, 'provider' | 'hedge_after_ms' | 'budget' | 'timeout_ms'>,
  env: { runBudget?: RunBudgetV1 },
): void {
  if (settings.hedge_after_ms === undefined) return;
  const problems: { path: string; message: string }[] = [];
  if (settings.provider === 'llama-cpp')
    problems.push({
      path: 'hedge_after_ms',
      message:
        'a local llama-cpp model gains nothing from a duplicate request (it runs on the same CPU): remove hedge_after_ms',
    });
  if (
    settings.budget ||
    env.runBudget?.maxUsd !== undefined ||
    env.runBudget?.maxTokens !== undefined
  )
    problems.push({
      path: 'hedge_after_ms',
      message:
        'a budget cannot count an aborted duplicate request (its tokens are unknown): remove hedge_after_ms, or the budget (budget, --max-usd, --max-tokens)',
    });
  const after = settings.hedge_after_ms;
  if (after !== 'auto' && after >= settings.timeout_ms)
    problems.push({
      path: 'hedge_after_ms',
      message: `${after} ms is not below timeout_ms (${settings.timeout_ms} ms), so no hedge could be sent: lower it, or give auto`,
    });
  if (problems.length > 0) throw new InvalidConfigError(problems);
}
