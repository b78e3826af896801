import { type RunBudgetV1, ScoreCallError } from '@plexus/core';
import { z } from 'zod';

export const budgetSchema = z
  .object({
    /** US dollars this score may spend in a run. */
    max_usd: z.number().positive().optional(),
    /** Tokens (input + output) this score may use in a run. */
    max_tokens: z.number().int().positive().optional(),
  })
  .strict();

/** Money and tokens spent against a limit; calls already in flight may end a little over it. */
export class Budget {
  private spentUsd = 0;
  private spentTokens = 0;

  constructor(
    private readonly limit: { maxUsd?: number; maxTokens?: number },
    private readonly owner: string,
  ) {}

  /** Throws (code `budget_exhausted`) once the limit is reached: no new call starts. */
  check(): void {
    const { maxUsd, maxTokens } = this.limit;
    const over =
      maxUsd !== undefined && this.spentUsd >= maxUsd
        ? `${this.owner} of $${maxUsd} is spent ($${this.spentUsd.toFixed(4)})`
        : maxTokens !== undefined && this.spentTokens >= maxTokens
          ? `${this.owner} of ${maxTokens} tokens is spent (${this.spentTokens})`
          : undefined;
    if (over)
      throw new ScoreCallError(`not scored: the ${over}; raise it and run again`, {
        code: 'budget_exhausted',
        retryable: false,
      });
  }

  add(usd: number, tokens: number): void {
    this.spentUsd += usd;
    this.spentTokens += tokens;
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
