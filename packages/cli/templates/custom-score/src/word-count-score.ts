import { defineScoreFactory, hashValue, type ScoreOutputV1 } from '@plexus/core';
import { z } from 'zod';

// The settings a scorecard may give this score, checked before anything runs: a typo such as
// `max_word` is an error naming the setting. Keep it `.strict()`.
const settingsSchema = z
  .object({
    /** Texts with more words than this are long. */
    max_words: z.number().int().positive().default(20),
  })
  .strict();

/** Words in a text: runs of letters or digits. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

/** `__NAME__/word-count`: long or short by the number of words. Replace with your own score. */
export const wordCountFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'word-count',
  settingsSchema,
  // The labels this score can answer; the scorecard's `labels:` rename them (first = long).
  outputLabels: (_settings, env) => (env.labels.length > 0 ? env.labels : ['long', 'short']),
  create(settings, env) {
    const [long, short] = env.labels.length > 0 ? env.labels : ['long', 'short'];
    const scoreOne = (text: string): ScoreOutputV1 => {
      const words = countWords(text);
      return {
        value: words > settings.max_words ? long! : short!,
        status: 'ok',
        explanation: `${words} words; long above ${settings.max_words}`,
        trace: { words },
      };
    };
    return {
      specificationVersion: 'v1',
      kind: '__NAME__/word-count',
      name: env.name,
      labels: [long!, short!],
      // Changes whenever the answers could change: cached results are reused only on a match.
      fingerprint: hashValue({ kind: 'word-count', settings, version: 1 }),
      maxBatchSize: 256,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map((item) => scoreOne(item.text));
      },
    };
  },
});
