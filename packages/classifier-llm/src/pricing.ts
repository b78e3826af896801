import type { ChatResponse } from './chat-provider.js';
import type { ClassifierSettings } from './classifier-settings.js';

/** A model's price in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Input tokens served from the provider's prompt cache; default the input price. */
  cachedInput?: number;
}

/**
 * The day the built-in table was read. Source: OpenAI's pricing page
 * (https://developers.openai.com/api/docs/pricing, standard tier, short context), as copied by
 * public pricing trackers between March and June 2026 (latest read 2026-06-04); the page itself
 * could not be opened from here. Prices change: a score's `pricing:` overrides this table.
 */
export const pricesAsOf = '2026-06-04';

/** OpenAI's standard-tier prices (`execution: batch` pays half of them: `batchPrice`; Flex and Priority are not used). */
const openAiPrices: Readonly<Record<string, ModelPrice>> = {
  'gpt-5.5': { input: 5, cachedInput: 0.5, output: 30 },
  'gpt-5.4': { input: 2.5, cachedInput: 0.25, output: 15 },
  'gpt-5.4-mini': { input: 0.75, cachedInput: 0.075, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, cachedInput: 0.02, output: 1.25 },
  'gpt-5.2': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  // The first gpt-4o snapshot kept its launch price (priced as gpt-4o, it cost half of it).
  'gpt-4o-2024-05-13': { input: 5, output: 15 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
};

/** A local model: it costs nothing ("none", not "unknown"). */
const free: ModelPrice = { input: 0, output: 0 };

/**
 * `gpt-4o-mini-2024-07-18` and `openai/gpt-4o-mini` are priced as `gpt-4o-mini`, unless the dated
 * snapshot has a price of its own in the table (`gpt-4o-2024-05-13`).
 */
function tableName(model: string): string {
  const name = model
    .trim()
    .toLowerCase()
    .replace(/^openai\//, '');
  return Object.hasOwn(openAiPrices, name) ? name : name.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

/**
 * The price of a score's model: its `pricing`, else free for `llama-cpp` (local), else the
 * built-in table for `openai`; undefined when unknown (any other name, e.g. an Azure deployment,
 * and every `huggingface` model, whose price depends on the provider Hugging Face routes to).
 */
export function modelPrice(
  settings: Pick<ClassifierSettings, 'provider' | 'model' | 'pricing'>,
): ModelPrice | undefined {
  if (settings.pricing)
    return {
      input: settings.pricing.input_per_million,
      output: settings.pricing.output_per_million,
      ...(settings.pricing.cached_input_per_million === undefined
        ? {}
        : { cachedInput: settings.pricing.cached_input_per_million }),
    };
  if (settings.provider === 'llama-cpp') return free;
  if (settings.provider !== 'openai') return undefined;
  const name = tableName(settings.model);
  // A model named like an Object.prototype key (`constructor`) has no price, not a function.
  return Object.hasOwn(openAiPrices, name) ? openAiPrices[name] : undefined;
}

/**
 * The cost of a call in US dollars, or null when the price is unknown (never 0 for unknown).
 * `cached` input tokens (part of `input`) are billed at the cached-input price.
 */
export function callCost(
  price: ModelPrice | undefined,
  tokens: { input: number; output: number; cached?: number },
): number | null {
  if (!price) return null;
  const cached = Math.min(tokens.cached ?? 0, tokens.input);
  return (
    ((tokens.input - cached) * price.input +
      cached * (price.cachedInput ?? price.input) +
      tokens.output * price.output) /
    1_000_000
  );
}

/** The cost of an answer (its cached input tokens at the cached price); null without a price. */
export function responseCost(
  price: ModelPrice | undefined,
  response: Pick<ChatResponse, 'inputTokens' | 'outputTokens' | 'cachedTokens'>,
): number | null {
  return callCost(price, {
    input: response.inputTokens,
    output: response.outputTokens,
    cached: response.cachedTokens,
  });
}

/** A model whose every token costs nothing (a local model, `pricing` of zeros). */
export function isFree(price: ModelPrice | undefined): boolean {
  return price !== undefined && price.input === 0 && price.output === 0 && !price.cachedInput;
}

/** The `unpriced_model` of a priced model whose answer reported no usage: its tokens are unknown. */
export function usageMissingModel(model: string): string {
  return `${model} (its endpoint reported no token usage: tokens and cost unknown)`;
}
