import type { ChatResponse } from './chat-provider.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where the answer states its label: the value of its last JSON `"label"`, else the label's last
 * mention on word boundaries (ignoring case); undefined when neither is found.
 */
export function labelSpan(content: string, label: string): [number, number] | undefined {
  const json = [...content.matchAll(/"label"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].at(-1);
  if (json) {
    const start = json.index + json[0].length - json[1]!.length - 1;
    return [start, start + json[1]!.length];
  }
  const word = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(label)}(?![\\p{L}\\p{N}_])`, 'giu');
  const last = [...content.matchAll(word)].at(-1);
  return last ? [last.index, last.index + last[0].length] : undefined;
}

/**
 * The log-probability of the label as the answer states it: the sum over the tokens that cover
 * its span (the probability of the whole label, however many tokens it takes). Undefined when the
 * answer came without token log-probabilities (a cached answer of an older Plexus kept only the
 * last token's, often a closing `"}`: no confidence rather than a wrong one), when the tokens do
 * not spell the answer, or when the label is not found in it.
 */
export function labelLogprob(response: ChatResponse, label: string): number | undefined {
  const tokens = response.tokenLogprobs;
  if (!tokens || tokens.map((token) => token.token).join('') !== response.content) return undefined;
  const span = labelSpan(response.content, label);
  if (!span) return undefined;
  let sum = 0;
  let at = 0;
  for (const token of tokens) {
    const end = at + token.token.length;
    if (end > span[0] && at < span[1]) sum += token.logprob;
    at = end;
  }
  return sum;
}
