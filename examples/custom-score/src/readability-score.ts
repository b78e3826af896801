import { defineScoreFactory, hashValue, type ScoreOutputV1 } from '@plexus/core';
import { z } from 'zod';
import { readingEase } from './flesch.js';

const settingsSchema = z
  .object({
    /** Texts scoring at least this (Flesch reading ease, 0-100+) are easy; default 60 ("plain English"). */
    min_ease: z.number().default(60),
    /** Label when the text has no words. */
    on_empty: z.string().min(1).default('easy'),
  })
  .strict();

/** `plexus-score-readability/readability`: easy or hard to read, by Flesch reading ease. */
export const readabilityFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'readability',
  settingsSchema,
  outputLabels: (_settings, env) => (env.labels.length > 0 ? env.labels : ['easy', 'hard']),
  create(settings, env) {
    const [easy, hard] = env.labels.length > 0 ? env.labels : ['easy', 'hard'];
    const scoreOne = (text: string): ScoreOutputV1 => {
      const ease = readingEase(text);
      if (!ease) return { value: settings.on_empty, status: 'ok', explanation: 'no words' };
      const value = ease.score >= settings.min_ease ? easy! : hard!;
      return {
        value,
        status: 'ok',
        explanation: `reading ease ${ease.score.toFixed(1)} (${ease.words} words, ${ease.sentences} sentences); ${value} at >= ${settings.min_ease}`,
        trace: { ease: ease.score },
      };
    };
    return {
      specificationVersion: 'v1',
      kind: 'plexus-score-readability/readability',
      name: env.name,
      labels: [easy!, hard!],
      fingerprint: hashValue({ kind: 'readability', settings, version: 1 }),
      maxBatchSize: 256,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map((item) => scoreOne(item.text));
      },
    };
  },
});
