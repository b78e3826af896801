/** US dollars per million tokens for common models; a scorecard's `pricing` overrides it. */
const prices: Record<string, { input: number; output: number }> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
};

/** The cost of a call in US dollars; 0 for models without a price (local models). */
export function callCost(
  model: string,
  tokens: { input: number; output: number },
  override?: { input_per_million: number; output_per_million: number },
): number {
  const price = override
    ? { input: override.input_per_million, output: override.output_per_million }
    : (prices[model] ?? prices[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')]);
  if (!price) return 0;
  return (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
}
