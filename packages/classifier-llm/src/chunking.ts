import { z } from 'zod';

export const chunkingSchema = z
  .object({
    /** Tokens per chunk (o200k_base, the GPT-4o tokenizer: a close count for most models). */
    max_tokens: z.number().int().min(20),
    /** Tokens each chunk repeats from the end of the previous one; default 0. */
    overlap: z.number().int().min(0).default(0),
    /**
     * How the chunks' labels make the answer: `any` (the positive label if any chunk gives it),
     * `all` (only if every chunk does), `majority` (the most frequent, ties to the earlier
     * chunk) or `first` (the first chunk's).
     */
    combine: z.enum(['any', 'all', 'majority', 'first']),
    /** The label `any` and `all` look for; default the first label. */
    positive_label: z.string().min(1).optional(),
  })
  .strict()
  .refine((chunking) => chunking.overlap < chunking.max_tokens, {
    message: 'overlap must be smaller than max_tokens',
    path: ['overlap'],
  });

export type Chunking = z.output<typeof chunkingSchema>;

export { splitTokens } from './chunk-windows.js';

/**
 * `any of 3 chunks: no`, saying when chunks without a valid label were left out of the vote (it
 * might have gone the other way with them).
 */
export function combinedExplanation(
  rule: Chunking['combine'],
  chunks: number,
  leftOut: number,
  value: string,
): string {
  const note =
    leftOut === 0
      ? ''
      : ` (${leftOut} chunk${leftOut === 1 ? '' : 's'} without a valid label left out of the vote)`;
  return `${rule} of ${chunks} chunks: ${value}${note}`;
}

function mostFrequent(labels: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let best: string | undefined;
  for (const label of labels)
    if (best === undefined || counts.get(label)! > counts.get(best)!) best = label;
  return best;
}

/**
 * One label from the chunks' labels (in chunk order; chunks without a valid label left out), or
 * undefined when no chunk gave one.
 */
export function combineLabels(
  labels: readonly string[],
  rule: Chunking['combine'],
  positive: string,
): string | undefined {
  if (labels.length === 0) return undefined;
  const others = labels.filter((label) => label !== positive);
  switch (rule) {
    case 'first':
      return labels[0];
    case 'majority':
      return mostFrequent(labels);
    case 'any':
      return others.length < labels.length ? positive : mostFrequent(others);
    case 'all':
      return others.length === 0 ? positive : mostFrequent(others);
  }
}
