import { keptUnpricedModel } from '@plexus/core';

/** Tokens, calls and cost, added up over the calls for one item. */
export interface UsageTally {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Calls made to the model (responses from the cache are not calls). */
  calls: number;
  /** US dollars; null once a call was made at an unknown price (never 0 for unknown). */
  costUsd: number | null;
  /** The model without a price, when `costUsd` is null (`openai gpt-5-mini`). */
  unpricedModel?: string;
  /** Responses served from the response cache. */
  cacheHits: number;
  /** Attempts repeated after retryable failures. */
  retries: number;
  /** Some call's tokens are not known (no usage reported, a hedge's aborted attempt). */
  tokensUnknown?: boolean;
}

export function emptyUsage(): UsageTally {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    calls: 0,
    costUsd: 0,
    cacheHits: 0,
    retries: 0,
  };
}

/** Dollars added up; null (unknown) as soon as one part is unknown. */
export function addCost(total: number | null, part: number | null): number | null {
  return total === null || part === null ? null : total + part;
}

/** Adds `part` (one node's calls) to `into` (the item's). */
export function addUsage(into: UsageTally, part: UsageTally): void {
  into.inputTokens += part.inputTokens;
  into.outputTokens += part.outputTokens;
  into.cachedTokens += part.cachedTokens;
  into.calls += part.calls;
  into.cacheHits += part.cacheHits;
  into.retries += part.retries;
  into.costUsd = addCost(into.costUsd, part.costUsd);
  const unpriced = keptUnpricedModel(into.unpricedModel, part.unpricedModel);
  if (unpriced !== undefined) into.unpricedModel = unpriced;
  if (part.tokensUnknown) into.tokensUnknown = true;
}

/** What one graph node's model calls used, as its trace step keeps it. */
export interface NodeUsage {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  /** US dollars; null when the model has no price. */
  cost_usd: number | null;
  /** Some call's tokens are not known: the counts are those of the calls that reported them. */
  tokens_unknown?: true;
}

export function nodeUsage(usage: UsageTally): NodeUsage {
  return {
    calls: usage.calls,
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cost_usd: usage.costUsd,
    ...(usage.tokensUnknown ? { tokens_unknown: true as const } : {}),
  };
}
