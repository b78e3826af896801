import { InvalidConfigError, type RunBudgetV1 } from '@plexus/core';
import { Budget, runBudget, type Spending } from './budget.js';
import type { ChatProvider, ChatRequest } from './chat-provider.js';
import type { ClassifierSettings } from './classifier-settings.js';
import { callCost, type ModelPrice, pricesAsOf, responseCost } from './pricing.js';
import { worstCaseTokens } from './worst-case.js';

/**
 * A budget in dollars cannot be kept for a model without a price: a load-time error that says to
 * add `pricing:` (budgets in tokens need no price).
 */
function refuseDollarBudgets(
  settings: Pick<ClassifierSettings, 'provider' | 'model' | 'budget'>,
  env: { runBudget?: RunBudgetV1 },
): void {
  const fix = `${settings.provider} ${settings.model} has no price in the built-in table (prices of ${pricesAsOf}); add pricing: {input_per_million, output_per_million} (US dollars) to this score`;
  const problems: { path: string; message: string }[] = [];
  if (settings.budget?.max_usd !== undefined)
    problems.push({ path: 'budget.max_usd', message: `a budget in dollars needs a price: ${fix}` });
  if (env.runBudget?.maxUsd !== undefined)
    problems.push({
      path: 'model',
      message: `--max-usd needs a price for every LLM score: ${fix}, or run without --max-usd (--max-tokens needs no price)`,
    });
  if (problems.length > 0) throw new InvalidConfigError(problems);
}

/** The budgets a model client's calls reserve in: the score's and the run's. */
export class CallBudgets {
  private readonly budgets: Budget[] = [];

  /** Throws `InvalidConfigError` for a budget in dollars on a model without a price. */
  constructor(
    settings: Pick<ClassifierSettings, 'provider' | 'model' | 'budget'>,
    env: { runBudget?: RunBudgetV1 },
    private readonly price: ModelPrice | undefined,
  ) {
    if (!price) refuseDollarBudgets(settings, env);
    if (settings.budget)
      this.budgets.push(
        new Budget(
          { maxUsd: settings.budget.max_usd, maxTokens: settings.budget.max_tokens },
          'score budget',
        ),
      );
    if (env.runBudget) this.budgets.push(runBudget(env.runBudget));
  }

  /** `provider` for this request: without budgets as it is, else reserving its worst case first. */
  async guard(provider: ChatProvider, request: ChatRequest): Promise<ChatProvider> {
    if (this.budgets.length === 0) return provider;
    const tokens = await worstCaseTokens(request);
    const worst = { usd: callCost(this.price, tokens) ?? 0, tokens: tokens.input + tokens.output };
    return {
      name: provider.name,
      complete: (call, signal) => this.send(provider, call, worst, signal),
    };
  }

  /**
   * One attempt, inside its limiter slot: the worst case reserved in every budget before it is
   * sent, what it spent settled as soon as it answers. A failed attempt settles nothing spent:
   * refused requests (429, 5xx) are not billed; an answer lost to a cut connection may be, unseen.
   */
  private async send(
    provider: ChatProvider,
    request: ChatRequest,
    worst: Spending,
    signal: AbortSignal,
  ) {
    const held: Budget[] = [];
    let spent: Spending = { usd: 0, tokens: 0 };
    try {
      // Always in the same order (the score's, then the run's): no two calls wait on each other.
      for (const budget of this.budgets) {
        await budget.reserve(worst, signal);
        held.push(budget);
      }
      const response = await provider.complete(request, signal);
      // An answer without usage spent an unknown amount: its worst case stays counted (as 0 it
      // let a budget pay for every call of the run).
      spent = response.usageMissing
        ? worst
        : {
            usd: responseCost(this.price, response) ?? 0,
            tokens: response.inputTokens + response.outputTokens,
          };
      return response;
    } finally {
      for (const budget of held) budget.settle(worst, spent);
    }
  }
}
