// `heuristic/logic`'s settings, apart from the score so that its needs hook can read them.
import { z } from 'zod';

/** A label, or `{value_of: Score}`: the value of a score this one depends on (cascades). */
const outcomeSchema = z.union([
  z.string().min(1),
  z.object({ value_of: z.string().min(1) }).strict(),
]);
export type LogicOutcome = z.output<typeof outcomeSchema>;

export const logicSettingsSchema = z
  .object({
    /** Checked in order; the first whose `when` is true gives its label. */
    rules: z.array(z.object({ when: z.string().min(1), label: outcomeSchema }).strict()).min(1),
    /** Label when no rule holds. */
    otherwise: outcomeSchema,
  })
  .strict();

export type LogicSettings = z.output<typeof logicSettingsSchema>;

/** Names an expression can use. */
export const logicNames = ['results', 'confidence', 'metadata', 'text'] as const;
