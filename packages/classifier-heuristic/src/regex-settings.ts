import { z } from 'zod';
import { matchModeSchema, outcomeSettings } from './outcome-settings.js';
import { scopeSettings } from './text-scope.js';

const patternSchema = z.union([
  z.string().min(1),
  z
    .object({
      pattern: z.string().min(1),
      /** `i` ignore case, `m` multi-line anchors, `s` dot matches newline. */
      flags: z
        .string()
        .regex(/^[ims]*$/, 'flags may be i, m and s')
        .default(''),
    })
    .strict(),
]);

export const regexSettingsSchema = z
  .object({
    /** RE2 syntax (no backreferences or lookahead); runs in linear time, so no pattern can hang a run. */
    patterns: z.array(patternSchema).min(1),
    /** `any` pattern, `all` patterns, or `none`; default `any`. */
    match: matchModeSchema,
    /** Ignore case for patterns given as plain strings; default true. */
    ignore_case: z.boolean().default(true),
    ...scopeSettings,
    ...outcomeSettings,
  })
  .strict();

export type RegexSettings = z.output<typeof regexSettingsSchema>;
