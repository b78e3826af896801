import { type RunBudgetV1, ScoreCallError } from '@plexus/core';
import { z } from 'zod';
import { whenAborted } from './when-aborted.js';

export const budgetSchema = z
  .object({
    /** US dollars this score may spend in a run (needs the model's price). */
    max_usd: z.number().positive().optional(),
    /** Tokens (input + output) this score may use in a run. */
    max_tokens: z.number().int().positive().optional(),
  })
  .strict();

/** Money and tokens one call spends, or may spend at most (its worst case). */
export interface Spending {
  usd: number;
  tokens: number;
}

function dollars(value: number): string {
  return `$${Number(value.toPrecision(4))}`;
}

/**
 * Money and tokens spent against a limit. Each call reserves its worst case before it is sent
 * and settles on the answer (the reservation released, what it spent counted), so what is spent
 * never exceeds the limit, whatever the concurrency.
 */
export class Budget {
  private readonly spent: Spending = { usd: 0, tokens: 0 };
  private readonly held: Spending = { usd: 0, tokens: 0 };
  /** Reservations held by calls in flight. */
  private holders = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly limit: { maxUsd?: number; maxTokens?: number },
    private readonly owner: string,
  ) {}

  /** What has been spent so far (settled calls). */
  get total(): Readonly<Spending> {
    return { ...this.spent };
  }

  private overBy(worst: Spending): string | undefined {
    const { maxUsd, maxTokens } = this.limit;
    if (maxUsd !== undefined && this.spent.usd + this.held.usd + worst.usd > maxUsd)
      return worst.usd > maxUsd
        ? `${this.owner} of ${dollars(maxUsd)} is smaller than one call at its worst (up to ${dollars(worst.usd)}: lower max_tokens or raise the budget)`
        : `${this.owner} of ${dollars(maxUsd)} is spent (${dollars(this.spent.usd)} spent; a call may cost up to ${dollars(worst.usd)})`;
    if (maxTokens !== undefined && this.spent.tokens + this.held.tokens + worst.tokens > maxTokens)
      return worst.tokens > maxTokens
        ? `${this.owner} of ${maxTokens} tokens is smaller than one call at its worst (up to ${worst.tokens} tokens: lower max_tokens or raise the budget)`
        : `${this.owner} of ${maxTokens} tokens is spent (${this.spent.tokens} spent; a call may use up to ${worst.tokens})`;
    return undefined;
  }

  /**
   * Holds `worst` for a call about to be sent. While it does not fit and calls are in flight
   * (they may spend less than they hold), waits for them; when it does not fit with none in
   * flight, throws (code `budget_exhausted`): the call is not sent.
   */
  async reserve(worst: Spending, signal: AbortSignal): Promise<void> {
    for (;;) {
      const over = this.overBy(worst);
      if (!over) break;
      if (this.holders === 0)
        throw new ScoreCallError(`not scored: the ${over}; raise it and run again`, {
          code: 'budget_exhausted',
          retryable: false,
        });
      await this.nextSettle(signal);
    }
    this.holders += 1;
    this.held.usd += worst.usd;
    this.held.tokens += worst.tokens;
  }

  /** Releases a reservation and counts what the call spent (nothing for a failed call). */
  settle(worst: Spending, spent: Spending): void {
    this.holders -= 1;
    this.held.usd = this.holders === 0 ? 0 : this.held.usd - worst.usd;
    this.held.tokens = this.holders === 0 ? 0 : this.held.tokens - worst.tokens;
    this.spent.usd += spent.usd;
    this.spent.tokens += spent.tokens;
    const wake = [...this.waiting];
    this.waiting.clear();
    for (const resume of wake) resume();
  }

  private nextSettle(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const resume = () => {
        stop();
        resolve();
      };
      const stop = whenAborted(signal, () => {
        this.waiting.delete(resume);
        reject(signal.reason);
      });
      this.waiting.add(resume);
    });
  }
}

const runBudgets = new WeakMap<RunBudgetV1, Budget>();

/** The one tally of a run's budget, shared by every LLM score of the run. */
export function runBudget(limit: RunBudgetV1): Budget {
  let budget = runBudgets.get(limit);
  if (!budget) {
    budget = new Budget(limit, 'run budget');
    runBudgets.set(limit, budget);
  }
  return budget;
}
