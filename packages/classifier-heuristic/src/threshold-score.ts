import {
  defineScoreFactory,
  fieldValue,
  hashValue,
  numericValue,
  type ScoreOutputV1,
} from '@plexus/core';
import { z } from 'zod';
import { parseNumericCondition } from './numeric-condition.js';

const conditionText = z
  .string()
  .refine(
    (text) => parseNumericCondition(text) !== undefined,
    'use "> N", ">= N", "< N", "<= N", "== N", "!= N" or "A..B"',
  );

export const thresholdSettingsSchema = z
  .object({
    /** Metadata field (dotted path for nested values), e.g. `duration_seconds`. */
    field: z.string().min(1),
    /** Checked in order; the first rule that holds gives its label. */
    rules: z.array(z.object({ when: conditionText, label: z.string().min(1) }).strict()).min(1),
    /** Label when no rule holds. */
    otherwise: z.string().min(1),
    /** When the field is missing or not a number: a label, or `error` (default). */
    on_missing: z.string().min(1).default('error'),
  })
  .strict();

export type ThresholdSettings = z.output<typeof thresholdSettingsSchema>;

function thresholdLabels(settings: ThresholdSettings): string[] {
  const missing = settings.on_missing === 'error' ? [] : [settings.on_missing];
  return [
    ...new Set([...settings.rules.map((rule) => rule.label), settings.otherwise, ...missing]),
  ];
}

/** `heuristic/threshold`: numeric comparisons and ranges on a metadata field, mapped to labels. */
export const thresholdFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'threshold',
  settingsSchema: thresholdSettingsSchema,
  outputLabels: thresholdLabels,
  needs: (settings) => ({ fields: [{ path: 'field', name: settings.field }] }),
  create(settings, env) {
    const rules = settings.rules.map((rule) => ({
      label: rule.label,
      condition: parseNumericCondition(rule.when)!,
    }));
    const labels = env.labels.length > 0 ? env.labels : thresholdLabels(settings);
    const scoreItem = (metadata: Readonly<Record<string, unknown>>): ScoreOutputV1 => {
      const raw = fieldValue(metadata, settings.field);
      const value = numericValue(raw);
      if (value === undefined) {
        const problem =
          raw === undefined
            ? `metadata field "${settings.field}" is missing`
            : `metadata field "${settings.field}" is not a number (${JSON.stringify(raw).slice(0, 50)})`;
        if (settings.on_missing !== 'error')
          return { value: settings.on_missing, status: 'ok', explanation: problem };
        return {
          value: null,
          status: 'error',
          error: {
            message: `${problem}; set on_missing to a label to score such items`,
            code: 'missing_field',
            retryable: false,
          },
        };
      }
      const rule = rules.find((candidate) => candidate.condition.test(value));
      return {
        value: rule?.label ?? settings.otherwise,
        status: 'ok',
        confidence: 1,
        explanation: rule
          ? `${settings.field} = ${value}, which is ${rule.condition.text}`
          : `${settings.field} = ${value} meets no rule (${rules.map((candidate) => candidate.condition.text).join(', ')})`,
        trace: { field: settings.field, value },
      };
    };
    return {
      specificationVersion: 'v1',
      kind: 'heuristic/threshold',
      name: env.name,
      labels,
      fingerprint: hashValue({ kind: 'threshold', settings }),
      maxBatchSize: 1024,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map((item) => scoreItem(item.metadata));
      },
    };
  },
});
