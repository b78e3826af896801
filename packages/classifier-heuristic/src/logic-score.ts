import {
  defineScoreFactory,
  ExpressionError,
  hashValue,
  InvalidConfigError,
  parseSafeExpression,
  type SafeExpression,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { z } from 'zod';

export const logicSettingsSchema = z
  .object({
    /** Checked in order; the first whose `when` is true gives its label. */
    rules: z.array(z.object({ when: z.string().min(1), label: z.string().min(1) }).strict()).min(1),
    /** Label when no rule holds. */
    otherwise: z.string().min(1),
  })
  .strict();

export type LogicSettings = z.output<typeof logicSettingsSchema>;

/** Names an expression can use. */
export const logicNames = ['results', 'confidence', 'metadata', 'text'] as const;

function compileRules(
  settings: LogicSettings,
  dependsOn: readonly string[],
): { label: string; expression: SafeExpression }[] {
  const problems = [];
  const compiled = [];
  for (const [index, rule] of settings.rules.entries()) {
    try {
      const expression = parseSafeExpression(rule.when, logicNames);
      for (const root of ['results', 'confidence']) {
        for (const name of expression.keys.get(root) ?? []) {
          if (!dependsOn.includes(name)) {
            throw new ExpressionError(
              `${root}["${name}"] is not a score this score depends on; add "${name}" to depends_on`,
            );
          }
        }
      }
      compiled.push({ label: rule.label, expression });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push({ path: `rules.${index}.when`, message: error.message });
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return compiled;
}

function scopeOf(item: ScoreItemV1): Record<string, unknown> {
  const results: Record<string, string | null> = {};
  const confidence: Record<string, number | null> = {};
  for (const [name, output] of Object.entries(item.results)) {
    results[name] = output.value;
    confidence[name] = output.confidence ?? null;
  }
  return { results, confidence, metadata: item.metadata, text: item.text };
}

function logicLabels(settings: LogicSettings): string[] {
  return [...new Set([...settings.rules.map((rule) => rule.label), settings.otherwise])];
}

/** `heuristic/logic`: safe expressions over upstream results and metadata, mapped to labels. */
export const logicFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'logic',
  settingsSchema: logicSettingsSchema,
  outputLabels: logicLabels,
  create(settings, env) {
    const rules = compileRules(settings, env.dependsOn);
    const scoreItem = (item: ScoreItemV1): ScoreOutputV1 => {
      const scope = scopeOf(item);
      for (const rule of rules) {
        if (rule.expression.evaluate(scope)) {
          return {
            value: rule.label,
            status: 'ok',
            confidence: 1,
            explanation: `${rule.expression.source} is true`,
            trace: { rule: rule.expression.source },
          };
        }
      }
      return {
        value: settings.otherwise,
        status: 'ok',
        confidence: 1,
        explanation: `no rule holds (${rules.map((rule) => rule.expression.source).join('; ')})`,
      };
    };
    return {
      specificationVersion: 'v1',
      kind: 'heuristic/logic',
      name: env.name,
      labels: env.labels.length > 0 ? env.labels : logicLabels(settings),
      fingerprint: hashValue({ kind: 'logic', settings }),
      maxBatchSize: 1024,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map(scoreItem);
      },
    };
  },
});
