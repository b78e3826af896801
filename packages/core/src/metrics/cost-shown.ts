/** Why a cost from an older run folder is not shown as dollars. */
export const olderCostReason =
  'run written before Plexus recorded unknown prices: a call to a model without a price counted $0';

/** How a hedged call's model is recorded in `unpriced_model(s)`: priced, but its tokens unknown. */
const hedgedSuffix = ' (hedged: an aborted duplicate request, tokens unknown)';

/** The `unpriced_model` of a call whose hedge was aborted: it reported no tokens (`openai x`). */
export function hedgedUnpricedModel(model: string): string {
  return `${model}${hedgedSuffix}`;
}

/** Whether an `unpriced_model` is a hedged call's note (a priced model), not a model without a price. */
export function isHedgedUnpricedModel(name: string): boolean {
  return name.endsWith(hedgedSuffix);
}

/**
 * The one `unpriced_model` an item keeps when several calls had an unknown cost: a model without a
 * price (the user can fix it with `pricing:`) over a hedged call's note; else the first one named.
 */
export function keptUnpricedModel(
  kept: string | undefined,
  next: string | undefined,
): string | undefined {
  if (kept === undefined || next === undefined) return kept ?? next;
  return isHedgedUnpricedModel(kept) && !isHedgedUnpricedModel(next) ? next : kept;
}

/**
 * Why a cost is unknown, from the recorded `unpriced_models`: `no price for` the models without
 * one, and `tokens unknown for` the models of hedged calls (priced, but an aborted duplicate
 * request reported no tokens); undefined when none is named. `pricingHint` follows the models
 * without a price (what to do about them), never a hedged call's priced model.
 */
export function unknownCostReason(
  models: readonly string[],
  pricingHint?: string,
): string | undefined {
  const unpriced = models.filter((model) => !isHedgedUnpricedModel(model));
  const hedged = models
    .filter(isHedgedUnpricedModel)
    .map((model) => model.slice(0, -hedgedSuffix.length));
  const reasons: string[] = [];
  if (unpriced.length > 0)
    reasons.push(`no price for ${unpriced.join(', ')}${pricingHint ? `: ${pricingHint}` : ''}`);
  if (hedged.length > 0)
    reasons.push(
      `tokens unknown for ${hedged.join(', ')}: a hedged call aborted a duplicate request`,
    );
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** Whether some of the recorded `unpriced_models` have no price (not only hedged calls'). */
export function lacksPrice(models: readonly string[]): boolean {
  return models.some((model) => !isHedgedUnpricedModel(model));
}

/** Why a sum of costs is unknown where the models behind it are not listed (an optimizer's spending). */
export const unlistedUnknownCostReason =
  'a model has no price, or a hedged call aborted a duplicate request whose tokens are unknown';

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
    return { kind: 'unknown', reason: unknownCostReason(cost.unpricedModels ?? []) };
  }
  if (typeof usd !== 'number' || !Number.isFinite(usd))
    return { kind: 'unknown', reason: 'no cost recorded' };
  if ((olderFormat || !Array.isArray(cost.unpricedModels)) && (cost.llmCalls ?? 0) > 0)
    return usd > 0
      ? { kind: 'at_least', usd, reason: olderCostReason }
      : { kind: 'unknown', reason: olderCostReason };
  return { kind: 'usd', usd };
}

/**
 * Dollars to the hundredth of a cent: `$0.0123`; `$0.0000` only for nothing spent, and
 * `<$0.0001` for a cost that rounds to it (a few cheap calls are not free).
 */
export function dollars(usd: number): string {
  return usd > 0 && usd < 0.00005 ? '<$0.0001' : `$${usd.toFixed(4)}`;
}

/** `shownCost` in words: `$0.0123`, `<$0.0001`, `at least $0.0100 (why)`, `unknown (why)`. */
export function costText(cost: RecordedCost, olderFormat = false): string {
  const shown = shownCost(cost, olderFormat);
  if (shown.kind === 'usd') return dollars(shown.usd);
  if (shown.kind === 'at_least') return `at least ${dollars(shown.usd)} (${shown.reason})`;
  return shown.reason ? `unknown (${shown.reason})` : 'unknown';
}
