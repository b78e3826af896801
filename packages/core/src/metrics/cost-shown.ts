/** Why a cost from an older run folder is not shown as dollars. */
export const olderCostReason =
  'run written before Plexus recorded unknown prices: a call to a model without a price counted $0';

/** A cost as recorded: a score's (`cost_usd`) or a run's (`cost.usd`), with its LLM calls. */
export interface RecordedCost {
  usd: number | null | undefined;
  /** `unpriced_models` as recorded; absent in folders of a Plexus that counted unpriced calls $0. */
  unpricedModels: readonly string[] | undefined;
  llmCalls: number | undefined;
}

/** What a page may say of a cost: dollars, a floor, or unknown, each with why when not dollars. */
export type ShownCost =
  | { kind: 'usd'; usd: number }
  | { kind: 'at_least'; usd: number; reason: string }
  | { kind: 'unknown'; reason: string | undefined };

/**
 * The cost a page shows: dollars when known; `unknown` for a model without a price; and, for a run
 * folder written before unknown prices were recorded (`olderFormat`, or no `unpriced_models`) with
 * LLM calls, never its $0: unknown, or "at least" the dollars it did record.
 */
export function shownCost(cost: RecordedCost, olderFormat = false): ShownCost {
  const usd = cost.usd as unknown;
  if (usd === null) {
    const models = cost.unpricedModels ?? [];
    return {
      kind: 'unknown',
      reason: models.length > 0 ? `no price for ${models.join(', ')}` : undefined,
    };
  }
  if (typeof usd !== 'number' || !Number.isFinite(usd))
    return { kind: 'unknown', reason: 'no cost recorded' };
  if ((olderFormat || !Array.isArray(cost.unpricedModels)) && (cost.llmCalls ?? 0) > 0)
    return usd > 0
      ? { kind: 'at_least', usd, reason: olderCostReason }
      : { kind: 'unknown', reason: olderCostReason };
  return { kind: 'usd', usd };
}

/** `shownCost` in words: `$0.0123`, `at least $0.0100 (why)`, `unknown (why)`. */
export function costText(cost: RecordedCost, olderFormat = false): string {
  const shown = shownCost(cost, olderFormat);
  if (shown.kind === 'usd') return `$${shown.usd.toFixed(4)}`;
  if (shown.kind === 'at_least') return `at least $${shown.usd.toFixed(4)} (${shown.reason})`;
  return shown.reason ? `unknown (${shown.reason})` : 'unknown';
}
