import { InvalidConfigError, type RunBudgetV1 } from '@plexus/core';
import type { ClassifierSettings } from './classifier-settings.js';
import type { RequestLimiter } from './request-limiter.js';
import { whenAborted } from './when-aborted.js';

/** How often a call without a known hedge delay asks again, in ms. */
const recheckMs = 50;
/**
 * Hedges one attempt of a call may start: a second when the first failed or hangs too (at 1%
 * hangs, both hang once in 10,000 calls, a stall of the whole timeout).
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
  const { limiter } = options;
  const attempts: Attempt[] = [];
  let done = false;
  let winner: Attempt | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sentAt = 0;
  /** Hedges started for this call. */
  let hedges = 0;
  return new Promise<T>((resolve, reject) => {
    const stopParent = whenAborted(options.signal, () => {
      for (const attempt of attempts) attempt.controller.abort(options.signal.reason);
    });
    const end = (winner: Attempt | undefined, why: string) => {
      done = true;
      clearTimeout(timer);
      stopParent();
      for (const other of attempts) {
        if (other === winner || other.settled) continue;
        if (other.sent) limiter.hedging.aborted += 1;
        other.controller.abort(new Error(why));
      }
    };
    const start = (hedge: boolean) => {
      const attempt: Attempt = { controller: new AbortController(), sent: false, settled: false };
      attempts.push(attempt);
      const sent = () => {
        attempt.sent = true;
        limiter.hedging.sent += hedge ? 1 : 0;
        if (hedge) options.onHedgeSent();
        // A hedge unanswered as long (both hung) may be hedged once more.
        if (!hedge || hedges < hedgesPerCall) arm();
      };
      const answered = () => {
        if (done) return;
        winner = attempt;
        if (hedge) limiter.hedging.won += 1;
        end(attempt, 'answered by the other attempt (hedged call)');
      };
      send({ signal: attempt.controller.signal, hedge, sent, answered }).then(
        (value) => {
          attempt.settled = true;
          answered();
          if (winner === attempt) resolve(value);
        },
        (error: unknown) => {
          attempt.settled = true;
          if (done) return;
          if (attempts.some((other) => other.sent && !other.settled)) {
            // A failed hedge (a 429, a 500) leaves a hung attempt alone: it may be hedged again,
            // the hedge delay counted from the end of its back-off, up to `hedgesPerCall` hedges.
            const backoff = options.onLoserFailure(error);
            if (backoff !== undefined && hedges < hedgesPerCall) {
              clearTimeout(timer);
              sentAt = Date.now() + backoff;
              timer = setTimeout(check, backoff);
            }
            return;
          }
          end(undefined, 'the other attempt failed (hedged call): retried as one');
          reject(error);
        },
      );
    };
    // When no delay is known yet (`auto` before 16 successes, or no hedge left), asked again a
    // little later: the calls sent first, before any answer, are hedged too.
    const check = () => {
      timer = undefined;
      if (done || options.signal.aborted || options.drain?.aborted) return;
      const after = limiter.hedgeAfterMs(options.after);
      if (after === undefined) {
        timer = setTimeout(check, recheckMs);
        return;
      }
      const left = sentAt + after - Date.now();
      if (left > 0) timer = setTimeout(check, left);
      else if (limiter.takeHedge()) {
        hedges += 1;
        start(true);
      }
    };
    const arm = () => {
      clearTimeout(timer);
      sentAt = Date.now();
      const after = limiter.hedgeAfterMs(options.after);
      timer = setTimeout(check, after ?? recheckMs);
    };
    start(false);
  });
}

/**
 * `hedge_after_ms` where it cannot hold: a local model (a second attempt competes for the same
 * CPU), or a budget (an aborted duplicate's tokens are unknown, so no budget could count them).
 */
export function refuseHedging(
  settings: Pick<ClassifierSettings, 'provider' | 'hedge_after_ms' | 'budget'>,
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
  if (problems.length > 0) throw new InvalidConfigError(problems);
}
