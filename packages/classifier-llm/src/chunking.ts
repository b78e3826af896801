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

/** One chunk's part in a vote: its value, or why it was left out; and its explanation. */
export interface ChunkVote {
  value?: string;
  /** Why it has no value: `without a valid label`, `failed (http_500)`. */
  leftOut?: string;
  explanation?: string;
}

/** Why a chunk that ended in an error is left out of the vote: no label, or its error's code. */
export function leftOutBecause(code: unknown): string {
  return code === 'invalid_answer' ? 'without a valid label' : `failed (${String(code)})`;
}

/**
 * `any of 3 chunks: yes (1 chunk failed (http_500) left out of the vote: chunk 1); from chunk 2:
 * <its explanation>`: the chunks left out (with them the vote might have gone the other way) and
 * the first chunk that gave the value, numbered from 1 (`trace.chunks[].chunk` counts from 0).
 */
export function combinedExplanation(
  rule: Chunking['combine'],
  votes: readonly ChunkVote[],
  value: string,
): string {
  const leftOut = votes.flatMap((vote, index) =>
    vote.leftOut === undefined ? [] : [{ chunk: index + 1, why: vote.leftOut }],
  );
  const plural = leftOut.length === 1 ? '' : 's';
  let note = '';
  if (leftOut.length > 0 && leftOut.every((entry) => entry.why === leftOut[0]!.why))
    note = ` (${leftOut.length} chunk${plural} ${leftOut[0]!.why} left out of the vote: chunk${plural} ${leftOut.map((entry) => entry.chunk).join(', ')})`;
  else if (leftOut.length > 0)
    note = ` (${leftOut.length} chunks left out of the vote: ${leftOut.map((entry) => `chunk ${entry.chunk} ${entry.why}`).join(', ')})`;
  const decider = votes.findIndex((vote) => vote.leftOut === undefined && vote.value === value);
  const because = votes[decider]?.explanation?.trim();
  const from = decider < 0 ? '' : `; from chunk ${decider + 1}${because ? `: ${because}` : ''}`;
  return `${rule} of ${votes.length} chunks: ${value}${note}${from}`;
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
