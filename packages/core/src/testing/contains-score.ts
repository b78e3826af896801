import { z } from 'zod';
import { hashValue } from '../common/hash.js';
import { definePlugin, defineScoreFactory, type ScoreOutputV1 } from '../spec/score-spec.js';

const settingsSchema = z
  .object({
    /** Word whose presence (case-insensitive) gives the first label. */
    word: z.string().min(1),
    /** Throw for the whole batch when an item's text contains this; for failure tests. */
    throw_on: z.string().min(1).optional(),
    /** Wait this long per batch, in milliseconds; for concurrency tests. */
    delay_ms: z.number().int().min(0).default(0),
    /** Confidence 0.3 instead of 1 when an item's text contains this; for cascade tests. */
    unsure_on: z.string().min(1).optional(),
    batch_size: z.number().int().positive().default(16),
  })
  .strict();

/**
 * A deterministic test score: `labels[0]` when the text contains `word`, else `labels[1]`.
 * Used by the engine's tests and as the reference implementation for the conformance suite.
 */
export const containsFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'contains',
  settingsSchema,
  outputLabels: (_settings, env) => (env.labels.length > 0 ? env.labels : ['yes', 'no']),
  create(settings, env) {
    const labels = env.labels.length > 0 ? env.labels : ['yes', 'no'];
    const word = settings.word.toLowerCase();
    return {
      specificationVersion: 'v1',
      kind: 'test/contains',
      name: env.name,
      labels,
      fingerprint: hashValue({ word, labels }),
      maxBatchSize: settings.batch_size,
      async doScore({ items, signal }) {
        if (settings.delay_ms > 0) {
          await new Promise((resolve) => setTimeout(resolve, settings.delay_ms));
        }
        signal.throwIfAborted();
        if (settings.throw_on && items.some((item) => item.text.includes(settings.throw_on!))) {
          throw new Error(`test failure: an item contains "${settings.throw_on}"`);
        }
        return items.map((item): ScoreOutputV1 => {
          const found = item.text.toLowerCase().includes(word);
          return {
            value: found ? labels[0]! : (labels[1] ?? labels[0]!),
            status: 'ok',
            confidence: settings.unsure_on && item.text.includes(settings.unsure_on) ? 0.3 : 1,
            explanation: found
              ? `contains "${settings.word}"`
              : `does not contain "${settings.word}"`,
          };
        });
      },
    };
  },
});

/** Plugin `test` with the `contains` kind. */
export const testPlugin = definePlugin({
  specificationVersion: 'v1',
  name: 'test',
  factories: [containsFactory],
});
