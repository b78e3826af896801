import { z } from 'zod';
import { matchModeSchema, outcomeSettings } from './outcome-settings.js';
import { scopeSettings } from './text-scope.js';

const patternSchema = z.union([
  z.string().min(1),
  z
    .object({
      pattern: z.string().min(1),
      /** `i` ignore case, `m` multi-line anchors, `s` dot matches newline, `u` Unicode. */
      flags: z
        .string()
        .regex(/^[imsu]*$/, 'flags may be i, m, s and u')
        .default(''),
    })
    .strict(),
]);

export const regexSettingsSchema = z
  .object({
    /** JavaScript regular expressions; `(?P<name>…)` groups are accepted too. */
    patterns: z.array(patternSchema).min(1),
    /** `any` pattern, `all` patterns, or `none`; default `any`. */
    match: matchModeSchema,
    /** Ignore case for patterns given as plain strings; default true. */
    ignore_case: z.boolean().default(true),
    /**
     * Time limit per item, in milliseconds, for patterns that can backtrack (linear ones run without
     * it); an item over it is matched with RE2, or gets an error; default 1000.
     */
    timeout_ms: z.number().int().min(10).max(60_000).default(1000),
    ...scopeSettings,
    ...outcomeSettings,
  })
  .strict();

export type RegexSettings = z.output<typeof regexSettingsSchema>;
