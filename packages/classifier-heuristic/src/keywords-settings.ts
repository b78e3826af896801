import { z } from 'zod';
import { matchModeSchema, outcomeSettings } from './outcome-settings.js';
import { scopeSettings } from './text-scope.js';

export const defaultNegationWords = [
  'not',
  'never',
  'no',
  "don't",
  'dont',
  "didn't",
  'didnt',
  "doesn't",
  "won't",
  "can't",
  'cannot',
  'without',
];

export const keywordsSettingsSchema = z
  .object({
    /** Words or phrases to look for. */
    phrases: z.array(z.string().min(1)).min(1),
    /** `any` phrase, `all` phrases, or `none` of them; default `any`. */
    match: matchModeSchema,
    /** Match whole words only; default true. */
    whole_word: z.boolean().default(true),
    /** Default false: case is ignored. */
    case_sensitive: z.boolean().default(false),
    /** Fuzzy matching (fuzzball ratio over word windows), 0..100; typos and ASR errors still match. */
    fuzzy: z
      .object({
        threshold: z.number().min(50).max(100).default(85),
        /** Time fuzzy matching may take on one item before the item is an error (keywords_timeout). */
        timeout_ms: z.number().int().min(10).max(600_000).default(10_000),
      })
      .strict()
      .optional(),
    /** A negation word within `window` words before a hit ignores it, or flips the outcome. */
    negation: z
      .object({
        window: z.number().int().min(1).max(20).default(3),
        words: z.array(z.string().min(1)).min(1).default(defaultNegationWords),
        mode: z.enum(['ignore', 'flip']).default('ignore'),
      })
      .strict()
      .optional(),
    ...scopeSettings,
    ...outcomeSettings,
  })
  .strict();

export type KeywordsSettings = z.output<typeof keywordsSettingsSchema>;
