import { afterThinking } from './label-parsing.js';

// How llm/graph reads what its nodes gave: an extractor's quote, the nodes a logic rule read.

/** Lower case, letters and digits only, for comparing a quote with the text. */
export function normalized(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * An extractor's answer as a quote, and whether it is words of the text. A reasoning model's
 * <think> block is not the quote (an unfinished one: nothing quoted); a model that invents a quote
 * (or quotes only punctuation, which every text "contains") gets `found: false`.
 */
export function readQuote(answer: string, text: string): { quote: string; found: boolean } {
  const quote = (afterThinking(answer) ?? '').trim().replace(/^["'“]|["'”]$/g, '');
  const words = normalized(quote);
  const found = words !== '' && quote.toUpperCase() !== 'NONE' && normalized(text).includes(words);
  return { quote, found };
}

/**
 * ` (not asked on this path, so without an answer: b)` when the rules read nodes this item's path
 * routed past: `nodes["b"] != "yes"` holds for a node never asked, which the explanation says.
 */
export function unaskedNote(
  rules: readonly { expression: { keys: ReadonlyMap<string, ReadonlySet<string>> } }[],
  results: Record<string, unknown>,
): string {
  const read = new Set(rules.flatMap((rule) => [...(rule.expression.keys.get('nodes') ?? [])]));
  const unasked = [...read].filter((name) => !Object.hasOwn(results, name));
  return unasked.length === 0
    ? ''
    : ` (not asked on this path, so without an answer: ${unasked.join(', ')})`;
}
